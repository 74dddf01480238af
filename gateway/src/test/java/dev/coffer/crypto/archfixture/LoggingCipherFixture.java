package dev.coffer.crypto.archfixture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Breaks the crypto layering rule: a crypto class reaching for a logging library. */
public final class LoggingCipherFixture {
    private static final Logger log = LoggerFactory.getLogger(LoggingCipherFixture.class);

    private LoggingCipherFixture() {}

    public static void seal(byte[] plaintext) {
        log.debug("sealing {} bytes", plaintext.length);
    }
}

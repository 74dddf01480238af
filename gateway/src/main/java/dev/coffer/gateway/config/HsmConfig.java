package dev.coffer.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where the KMS keeps its master keys. */
public sealed interface HsmConfig {

    /** The name used by {@code --hsm}. */
    String kind();

    /** Keys held by the process itself: for development and tests, not for data that matters. */
    record Software() implements HsmConfig {
        @Override
        public String kind() {
            return "software";
        }
    }

    /**
     * A PKCS#11 token. Holds the PIN file's path only: the PIN is read when the KMS logs in, so it
     * never sits in the configuration, its {@code toString} or a log line.
     */
    record Pkcs11(Path library, String tokenLabel, Path pinFile) implements HsmConfig {
        public Pkcs11 {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(tokenLabel, "tokenLabel");
            Objects.requireNonNull(pinFile, "pinFile");
        }

        @Override
        public String kind() {
            return "pkcs11";
        }
    }
}

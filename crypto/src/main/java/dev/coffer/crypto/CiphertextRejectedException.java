package dev.coffer.crypto;

import java.io.IOException;

/**
 * A ciphertext was refused: malformed, of an unknown version, truncated, or its authentication tag
 * did not verify. No plaintext is ever released with or before this exception for the part that
 * failed. Messages name what failed, never key material or plaintext.
 *
 * <p>It is an {@link IOException} because it surfaces from streams; callers that need to tell it
 * apart from storage errors catch it first.
 */
public final class CiphertextRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the ciphertext was refused. */
    public enum Reason {
        /** Structure or sizes are wrong (short header, impossible length, bad segment size). */
        MALFORMED,
        /** The version byte names a format this code does not read (readers fail closed). */
        UNSUPPORTED_VERSION,
        /** The stream ends early or has extra bytes after its last segment. */
        TRUNCATED_OR_EXTENDED,
        /** An AES-GCM tag failed: wrong key, wrong associated data, or altered bytes. */
        AUTHENTICATION_FAILED
    }

    private final Reason reason;

    private CiphertextRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static CiphertextRejectedException malformed(String what) {
        return new CiphertextRejectedException(Reason.MALFORMED, "malformed ciphertext: " + what);
    }

    public static CiphertextRejectedException unsupportedVersion(String format, int version) {
        return new CiphertextRejectedException(Reason.UNSUPPORTED_VERSION,
                "unsupported " + format + " version " + version);
    }

    public static CiphertextRejectedException truncatedOrExtended(String what) {
        return new CiphertextRejectedException(Reason.TRUNCATED_OR_EXTENDED, "ciphertext truncated or extended: " + what);
    }

    public static CiphertextRejectedException authenticationFailed() {
        return new CiphertextRejectedException(Reason.AUTHENTICATION_FAILED,
                "ciphertext authentication failed (wrong key, wrong associated data, or altered bytes)");
    }
}

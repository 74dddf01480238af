package dev.coffer.crypto.envelope;

/**
 * A keyring could not produce or unwrap a data key. The reason lets each protocol map it to its own
 * error (S3 AccessDenied, KMS.DisabledException, ...). Messages never carry key material.
 */
public class KeyringException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a keyring failed. */
    public enum Reason {
        /** The caller may not use the key. */
        ACCESS_DENIED,
        /** The key exists but cannot be used now (disabled, pending deletion, pending import). */
        KEY_UNAVAILABLE,
        /** The key does not exist. */
        KEY_NOT_FOUND,
        /** None of the encrypted data keys could be unwrapped by this keyring (wrong key, context or provider). */
        NO_DECRYPTABLE_KEY,
        /** The key service is throttling or unreachable; retrying later may succeed. */
        UNAVAILABLE,
        /** Anything else. */
        INTERNAL
    }

    private final Reason reason;

    public KeyringException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeyringException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

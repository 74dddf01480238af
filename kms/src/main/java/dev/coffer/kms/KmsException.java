package dev.coffer.kms;

import java.util.Objects;

/** A KMS request failed with an AWS KMS error; the message is what the client sees, never a secret. */
public final class KmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final KmsError error;

    public KmsException(KmsError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public KmsError error() {
        return error;
    }
}

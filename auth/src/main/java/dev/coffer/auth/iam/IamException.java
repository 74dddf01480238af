package dev.coffer.auth.iam;

import java.util.Objects;

/** An IAM request failed with an AWS IAM error; the message is what the client sees, never a secret. */
public final class IamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final IamError error;

    public IamException(IamError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public IamError error() {
        return error;
    }
}

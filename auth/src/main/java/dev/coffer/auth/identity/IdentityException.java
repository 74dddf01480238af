package dev.coffer.auth.identity;

/** An identity operation was refused; the IAM service renders the kind as its AWS error code. */
public final class IdentityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The refusal, named after the AWS IAM error it maps to. */
    public enum Kind {
        ENTITY_ALREADY_EXISTS,
        NO_SUCH_ENTITY,
        DELETE_CONFLICT,
        LIMIT_EXCEEDED,
        VALIDATION_ERROR,
        MALFORMED_POLICY_DOCUMENT
    }

    private final Kind kind;

    public IdentityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package dev.coffer.s3.sse;

/**
 * A KMS call that failed. {@code kmsErrorType} is the KMS's {@code __type} without a namespace
 * (e.g. {@code NotFoundException}, {@code DisabledException}, {@code KMSInvalidStateException},
 * {@code AccessDeniedException}), or {@link #UNAVAILABLE} when the KMS could not be reached or
 * answered with something that is not a KMS error. The message is the KMS's, never key material.
 */
public final class KeyServiceException extends RuntimeException {
    public static final String UNAVAILABLE = "KMSUnavailable";

    private final String kmsErrorType;

    public KeyServiceException(String kmsErrorType, String message) {
        super(message);
        this.kmsErrorType = kmsErrorType;
    }

    public KeyServiceException(String kmsErrorType, String message, Throwable cause) {
        super(message, cause);
        this.kmsErrorType = kmsErrorType;
    }

    public String kmsErrorType() {
        return kmsErrorType;
    }
}

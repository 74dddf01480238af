package dev.coffer.blockstore.keys;

import java.util.Objects;

/** A KMS call for a volume that failed: the KMS's error type (namespace stripped) and message. */
public final class VolumeKeyException extends RuntimeException {
    /** The KMS could not be reached or answered with something that is not a KMS error. */
    public static final String UNAVAILABLE = "KMSUnavailable";

    private final String errorType;

    public VolumeKeyException(String errorType, String message) {
        super(message);
        this.errorType = Objects.requireNonNull(errorType, "errorType");
    }

    public VolumeKeyException(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = Objects.requireNonNull(errorType, "errorType");
    }

    /** {@code NotFoundException}, {@code DisabledException}, {@code AccessDeniedException}, ... or {@link #UNAVAILABLE}. */
    public String errorType() {
        return errorType;
    }
}

package dev.coffer.s3.engine;

import java.util.Optional;

/**
 * Every failure of an {@link ObjectStore}, with one {@link Kind}. Messages name buckets, keys and
 * upload ids but never contain object data.
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; the S3 layer maps each kind to its error code. */
    public enum Kind {
        NO_SUCH_BUCKET,
        /** The bucket exists; {@link #existingOwnerAccountId()} says whose it is. */
        BUCKET_ALREADY_EXISTS,
        /** The bucket still holds objects. */
        BUCKET_NOT_EMPTY,
        NO_SUCH_KEY,
        NO_SUCH_UPLOAD,
        /** A part listed to complete an upload was never uploaded. */
        INVALID_PART,
        /** The disk or the metadata store failed. */
        IO,
        /** Stored metadata does not decode, or data is missing or shorter than its record says. */
        CORRUPT
    }

    private final Kind kind;
    private final String existingOwnerAccountId;

    public EngineException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    private EngineException(Kind kind, String message, Throwable cause, String existingOwnerAccountId) {
        super(message, cause);
        this.kind = kind;
        this.existingOwnerAccountId = existingOwnerAccountId;
    }

    /** The bucket exists already; the owner lets the caller tell BucketAlreadyOwnedByYou from BucketAlreadyExists. */
    public static EngineException bucketAlreadyExists(String bucket, String ownerAccountId) {
        return new EngineException(Kind.BUCKET_ALREADY_EXISTS, "bucket " + bucket + " already exists", null, ownerAccountId);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#BUCKET_ALREADY_EXISTS}: the account that owns the existing bucket. */
    public Optional<String> existingOwnerAccountId() {
        return Optional.ofNullable(existingOwnerAccountId);
    }
}

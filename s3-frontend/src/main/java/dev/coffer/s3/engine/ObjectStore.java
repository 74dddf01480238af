package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the S3 front end keeps buckets, objects and multipart uploads. Bytes are opaque. Every
 * method may block and is safe to call from many threads; failures are {@link EngineException}s.
 * A call that returns has made its change durable; a call that fails changed nothing visible.
 *
 * <p>Names arrive validated by the caller (bucket names never contain '/', keys are non-empty);
 * so do S3's rules on part order, ETags and part sizes: the engine checks only that what is
 * referred to exists. Prefixes, delimiters and markers may be null or empty for "none". Listings
 * are in UTF-8 byte order of keys, as S3's are.
 */
public interface ObjectStore extends AutoCloseable {

    /** Fails with BUCKET_ALREADY_EXISTS, naming the existing owner, if the name is taken. */
    BucketRecord createBucket(String name, String ownerAccountId, String region, Instant createdAt);

    Optional<BucketRecord> bucket(String name);

    /** Every bucket, by name. */
    List<BucketRecord> buckets();

    /** Fails with NO_SUCH_BUCKET or BUCKET_NOT_EMPTY; multipart uploads in progress go with the bucket. */
    void deleteBucket(String name);

    /** Sets ({@code value} present) or removes one configuration document of the bucket. */
    BucketRecord setBucketConfiguration(String bucket, String kind, Optional<String> value);

    /** A writer for the bytes of a new object or part of the bucket (NO_SUCH_BUCKET up front). */
    ObjectWriter newData(String bucket);

    /**
     * Makes what {@code data} holds the object's content, atomically and durably, replacing any
     * previous version. {@code data} must come from {@link #newData} of this store and bucket.
     *
     * @param size the object's size as clients see it: {@code data}'s length for a plain object, the
     *     plaintext's (less than what is stored) when {@code attributes} has an envelope
     */
    ObjectRecord putObject(String bucket, String key, String etag, ObjectAttributes attributes, Instant lastModified,
                           ObjectWriter data, long size);

    /** {@link #putObject(String, String, String, ObjectAttributes, Instant, ObjectWriter, long)} of a plain object. */
    default ObjectRecord putObject(String bucket, String key, String etag, ObjectAttributes attributes, Instant lastModified,
                                   ObjectWriter data) {
        return putObject(bucket, key, etag, attributes, lastModified, data, data.bytesWritten());
    }

    /** The object's record; empty if there is no such key (NO_SUCH_BUCKET if no such bucket). */
    Optional<ObjectRecord> head(String bucket, String key);

    /** The object opened for reading; empty if there is no such key (NO_SUCH_BUCKET if no such bucket). */
    Optional<ObjectHandle> open(String bucket, String key);

    /** Whether the object existed (NO_SUCH_BUCKET if no such bucket). */
    boolean deleteObject(String bucket, String key);

    /**
     * Up to {@code maxKeys} keys and common prefixes under {@code prefix}, grouped by
     * {@code delimiter}, that sort after {@code startAfter}. Common prefixes count toward the limit.
     */
    ListPage listObjects(String bucket, String prefix, String delimiter, String startAfter, int maxKeys);

    /** Starts a multipart upload; its id is random, URL-safe and unguessable. */
    UploadRecord createUpload(String bucket, String key, ObjectAttributes attributes, Instant initiated);

    Optional<UploadRecord> upload(String bucket, String key, String uploadId);

    /**
     * Stores a part, replacing (and freeing) an earlier part with the same number (NO_SUCH_UPLOAD).
     *
     * @param size the part's size as clients see it ({@code data}'s length, or the plaintext's when
     *     the upload is encrypted)
     */
    PartRecord putPart(String bucket, String key, String uploadId, int partNumber, String etag,
                       Map<String, String> checksums, Instant lastModified, ObjectWriter data, long size);

    /** {@link #putPart(String, String, String, int, String, Map, Instant, ObjectWriter, long)} of a plain part. */
    default PartRecord putPart(String bucket, String key, String uploadId, int partNumber, String etag,
                               Map<String, String> checksums, Instant lastModified, ObjectWriter data) {
        return putPart(bucket, key, uploadId, partNumber, etag, checksums, lastModified, data, data.bytesWritten());
    }

    /** The upload's parts by number (NO_SUCH_UPLOAD). */
    List<PartRecord> parts(String bucket, String key, String uploadId);

    /**
     * Makes the listed parts, in this order, the object's content without copying their bytes;
     * frees the parts not listed and ends the upload, all atomically (NO_SUCH_UPLOAD; INVALID_PART if
     * a listed part was never uploaded). Part numbers must be distinct.
     */
    ObjectRecord completeUpload(String bucket, String key, String uploadId, List<Integer> partNumbers, String etag,
                                ObjectAttributes attributes, Instant lastModified);

    /** Ends the upload and frees its parts (NO_SUCH_UPLOAD). */
    void abortUpload(String bucket, String key, String uploadId);

    /**
     * Uploads in progress under {@code prefix}, grouped by {@code delimiter}, by key and then by
     * initiation, after ({@code keyMarker}, {@code uploadIdMarker}) as ListMultipartUploads defines it.
     */
    UploadsPage listUploads(String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker,
                            int maxUploads);

    @Override
    void close();
}

package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.Objects;

/** A multipart upload in progress. */
public record UploadRecord(String bucket, String key, String uploadId, Instant initiated, ObjectAttributes attributes) {
    public UploadRecord {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(initiated, "initiated");
        Objects.requireNonNull(attributes, "attributes");
    }
}

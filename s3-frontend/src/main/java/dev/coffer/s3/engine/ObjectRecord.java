package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An object. {@code parts} is empty for an object written by one PUT and lists the parts, in
 * order, of an object made by completing a multipart upload.
 */
public record ObjectRecord(String bucket, String key, long size, String etag, Instant lastModified,
                           ObjectAttributes attributes, List<PartInfo> parts) {
    public ObjectRecord {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(attributes, "attributes");
        parts = List.copyOf(parts);
    }
}

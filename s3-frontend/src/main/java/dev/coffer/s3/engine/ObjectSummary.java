package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One object in a listing. {@code checksumAlgorithms} names the algorithms the object has checksums for. */
public record ObjectSummary(String key, long size, String etag, Instant lastModified, String ownerAccountId,
                            List<String> checksumAlgorithms) {
    public ObjectSummary {
        Objects.requireNonNull(key, "key");
        checksumAlgorithms = List.copyOf(checksumAlgorithms);
    }
}

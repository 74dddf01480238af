package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A bucket. {@code configurations} holds one document per kind of bucket configuration
 * ("policy" -> JSON, "encryption" -> XML, ...), so new kinds need no change to the engine.
 */
public record BucketRecord(String name, String ownerAccountId, String region, Instant createdAt,
                           Map<String, String> configurations) {
    public BucketRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerAccountId, "ownerAccountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(createdAt, "createdAt");
        configurations = Copies.orderedMap(configurations, "configuration");
    }
}

package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.Map;

/** The value of a bucket entry (the name is the key). */
record StoredBucket(String ownerAccountId, String region, Instant createdAt, Map<String, String> configurations) {
    StoredBucket {
        configurations = Copies.orderedMap(configurations, "configuration");
    }

    BucketRecord toRecord(String name) {
        return new BucketRecord(name, ownerAccountId, region, createdAt, configurations);
    }
}

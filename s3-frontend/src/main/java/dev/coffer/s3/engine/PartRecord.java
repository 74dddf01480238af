package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** An uploaded part of a multipart upload in progress. */
public record PartRecord(int partNumber, long size, String etag, Instant lastModified, Map<String, String> checksums) {
    public PartRecord {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        checksums = Copies.orderedMap(checksums, "checksum");
    }
}

package dev.coffer.s3.engine;

import java.util.Map;
import java.util.Objects;

/** One part of an object made by a multipart upload, as it was uploaded (for GET ?partNumber=N and the "-N" ETag). */
public record PartInfo(int partNumber, long size, String etag, Map<String, String> checksums) {
    public PartInfo {
        Objects.requireNonNull(etag, "etag");
        checksums = Copies.orderedMap(checksums, "checksum");
    }
}

package dev.coffer.s3.checksum;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One part's checksum as stored at UploadPart, and the part's size, which FULL_OBJECT needs.
 *
 * @param digest the raw (not base64) checksum of the part
 * @param sizeBytes the part's length
 */
public record S3PartChecksum(byte[] digest, long sizeBytes) {
    public S3PartChecksum {
        digest = Objects.requireNonNull(digest, "digest").clone();
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("a part size cannot be negative");
        }
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3PartChecksum p && p.sizeBytes == sizeBytes && Arrays.equals(p.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(digest) + Long.hashCode(sizeBytes);
    }

    @Override
    public String toString() {
        return "S3PartChecksum[" + Base64.getEncoder().encodeToString(digest) + ", " + sizeBytes + " bytes]";
    }
}

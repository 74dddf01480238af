package dev.coffer.s3.checksum;

import java.util.Base64;

/**
 * An incremental checksum of one {@link S3ChecksumAlgorithm}. {@link #digest()} finishes it: later
 * calls return the same value, and updating a finished checksum is a bug
 * ({@link IllegalStateException}). Not thread-safe.
 */
public interface S3Checksum {
    S3ChecksumAlgorithm algorithm();

    void update(byte[] bytes, int offset, int length);

    /** The checksum as AWS sends it before base64: big-endian bytes, a fresh copy each call. */
    byte[] digest();

    /** The header value: base64 of {@link #digest()}. */
    default String base64() {
        return Base64.getEncoder().encodeToString(digest());
    }
}

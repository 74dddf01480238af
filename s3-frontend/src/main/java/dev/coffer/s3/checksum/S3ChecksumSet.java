package dev.coffer.s3.checksum;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The checksums of one upload, computed in a single pass: the S3 checksums the request asked for
 * or sent, and optionally the MD5 for the ETag and Content-MD5. The PUT path feeds every byte
 * through {@link #update} once, so an update allocates nothing. Not thread-safe.
 */
public final class S3ChecksumSet {
    private final S3Checksum[] checksums;
    private final MessageDigest md5;
    private byte[] md5Result;
    private long sizeBytes;

    private S3ChecksumSet(Set<S3ChecksumAlgorithm> algorithms, boolean withMd5) {
        this.checksums = algorithms.stream().map(S3ChecksumAlgorithm::newChecksum).toArray(S3Checksum[]::new);
        this.md5 = withMd5 ? DigestS3Checksum.messageDigest("MD5") : null;
    }

    /** Checksums for {@code algorithms}, plus MD5 when {@code withMd5}. */
    public static S3ChecksumSet of(Set<S3ChecksumAlgorithm> algorithms, boolean withMd5) {
        // EnumSet.copyOf learns the enum type from an element, so an empty set is made explicitly.
        Set<S3ChecksumAlgorithm> copy = algorithms.isEmpty() ? EnumSet.noneOf(S3ChecksumAlgorithm.class) : EnumSet.copyOf(algorithms);
        return new S3ChecksumSet(copy, withMd5);
    }

    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (S3Checksum checksum : checksums) {
            checksum.update(bytes, offset, length);
        }
        if (md5 != null) {
            if (md5Result != null) {
                throw new IllegalStateException("the MD5 was already finished");
            }
            md5.update(bytes, offset, length);
        }
        sizeBytes += length;
    }

    /** How many bytes went through. */
    public long sizeBytes() {
        return sizeBytes;
    }

    public boolean contains(S3ChecksumAlgorithm algorithm) {
        return find(algorithm) != null;
    }

    /**
     * The finished checksum of {@code algorithm}.
     *
     * @throws IllegalArgumentException if this set does not compute it
     */
    public S3Checksum checksum(S3ChecksumAlgorithm algorithm) {
        S3Checksum found = find(algorithm);
        if (found == null) {
            throw new IllegalArgumentException("this upload's checksums do not include " + algorithm);
        }
        return found;
    }

    /** The finished MD5 (raw 16 bytes). */
    public byte[] md5() {
        if (md5 == null) {
            throw new IllegalStateException("this upload's checksums do not include MD5");
        }
        if (md5Result == null) {
            md5Result = md5.digest();
        }
        return md5Result.clone();
    }

    private S3Checksum find(S3ChecksumAlgorithm algorithm) {
        return Arrays.stream(checksums).filter(c -> c.algorithm() == algorithm).findFirst().orElse(null);
    }
}

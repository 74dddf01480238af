package dev.coffer.s3.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A SHA-1 or SHA-256 as an {@link S3Checksum}. */
final class DigestS3Checksum implements S3Checksum {
    private final S3ChecksumAlgorithm algorithm;
    private final MessageDigest digest;
    private byte[] result;

    DigestS3Checksum(S3ChecksumAlgorithm algorithm, String jdkName) {
        this.algorithm = algorithm;
        this.digest = messageDigest(jdkName);
    }

    @Override
    public S3ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        if (result != null) {
            throw new IllegalStateException("the " + algorithm + " checksum was already finished");
        }
        digest.update(bytes, offset, length);
    }

    @Override
    public byte[] digest() {
        if (result == null) {
            result = digest.digest();
        }
        return result.clone();
    }

    static MessageDigest messageDigest(String jdkName) {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is missing from this JDK", e);
        }
    }
}

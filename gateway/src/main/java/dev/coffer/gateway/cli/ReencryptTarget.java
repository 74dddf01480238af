package dev.coffer.gateway.cli;

import java.util.Objects;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The encryption {@code coffer s3 reencrypt} gives every object: SSE-S3, or SSE-KMS under a key (null:
 * the AWS managed key {@code aws/s3}) with or without an S3 Bucket Key.
 *
 * @param algorithm        {@code AES256} or {@code aws:kms}
 * @param kmsKeyId         the key as given (id, ARN, alias), or null
 * @param bucketKeyEnabled SSE-KMS with a Bucket Key
 * @param origin           where it came from, for messages: {@code --sse} or the bucket's default encryption
 */
record ReencryptTarget(ServerSideEncryption algorithm, String kmsKeyId, boolean bucketKeyEnabled, String origin) {
    ReencryptTarget {
        Objects.requireNonNull(algorithm);
        if (algorithm != ServerSideEncryption.AES256 && algorithm != ServerSideEncryption.AWS_KMS) {
            throw new IllegalArgumentException("not a target: " + algorithm);
        }
        if (algorithm == ServerSideEncryption.AES256) {
            kmsKeyId = null;
            bucketKeyEnabled = false;
        }
    }

    boolean kms() {
        return algorithm == ServerSideEncryption.AWS_KMS;
    }

    /**
     * Whether an object whose HEAD answered this is already encrypted as asked.
     *
     * @param keyArn the ARN the KMS key resolves to, or null when not known yet (then an SSE-KMS object never matches)
     */
    boolean satisfiedBy(HeadObjectResponse head, String keyArn) {
        if (head.serverSideEncryption() != algorithm) {
            return false;
        }
        if (!kms()) {
            return true;
        }
        return keyArn != null && keyArn.equals(head.ssekmsKeyId())
                && bucketKeyEnabled == Boolean.TRUE.equals(head.bucketKeyEnabled());
    }

    /** For people: {@code SSE-KMS (key K, bucket key on)}. */
    String describe() {
        if (!kms()) {
            return "SSE-S3 (AES256)";
        }
        return "SSE-KMS (aws:kms, key " + (kmsKeyId == null ? "aws/s3" : kmsKeyId)
                + (bucketKeyEnabled ? ", bucket key on" : "") + ")";
    }

    /** What identifies the target in the state file's name and contents. */
    String fingerprint() {
        return algorithm + "|" + (kmsKeyId == null ? "" : kmsKeyId) + "|" + bucketKeyEnabled;
    }
}

package dev.coffer.s3.sse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The encryption a write asks for (PutObject, the destination of CopyObject,
 * CreateMultipartUpload), as {@link SseHeaders#forWrite} read it from the request headers. Which
 * key actually protects the object also depends on the bucket's default encryption, applied later.
 */
public sealed interface WriteEncryption {
    /**
     * No encryption header: the bucket default applies.
     *
     * @param bucketKeyEnabled {@code x-amz-server-side-encryption-bucket-key-enabled}, which
     *     overrides the bucket's Bucket Key setting when its default is SSE-KMS
     */
    record None(Optional<Boolean> bucketKeyEnabled) implements WriteEncryption {
        public None {
            Objects.requireNonNull(bucketKeyEnabled, "bucketKeyEnabled");
        }
    }

    /** {@code x-amz-server-side-encryption: AES256}. */
    record SseS3() implements WriteEncryption {}

    /**
     * {@code x-amz-server-side-encryption: aws:kms}.
     *
     * @param keyId {@code x-amz-server-side-encryption-aws-kms-key-id} as sent (key id, key ARN,
     *     alias name or alias ARN); empty means the AWS managed key {@code aws/s3}
     * @param context the decoded {@code x-amz-server-side-encryption-context}, in the order sent,
     *     empty when absent; it never holds an {@code aws:} name
     * @param bucketKeyEnabled {@code x-amz-server-side-encryption-bucket-key-enabled}; empty means
     *     the bucket's setting
     */
    record SseKms(Optional<String> keyId, Map<String, String> context, Optional<Boolean> bucketKeyEnabled)
            implements WriteEncryption {
        public SseKms {
            Objects.requireNonNull(keyId, "keyId");
            context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
            Objects.requireNonNull(bucketKeyEnabled, "bucketKeyEnabled");
        }
    }

    /** The SSE-C trio: the caller owns {@code key} and closes it when the write is done. */
    record SseC(CustomerKey key) implements WriteEncryption {
        public SseC {
            Objects.requireNonNull(key, "key");
        }
    }
}

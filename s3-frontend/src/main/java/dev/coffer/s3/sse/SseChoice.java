package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import java.util.Map;
import java.util.Objects;

/**
 * The encryption a new object or upload gets, once the request's headers and the bucket's default
 * have been weighed (request headers win).
 */
public sealed interface SseChoice {
    /** SSE-S3: keys managed by S3 under its service key. */
    record SseS3() implements SseChoice {}

    /**
     * SSE-KMS.
     *
     * @param keyId the key as the requester named it (id, ARN, alias), or null for {@code aws/s3}
     * @param context the requester's encryption context (may be empty)
     * @param bucketKey whether to use a bucket key
     */
    record SseKms(String keyId, Map<String, String> context, boolean bucketKey) implements SseChoice {
        public SseKms {
            context = Map.copyOf(Objects.requireNonNull(context, "context"));
        }
    }

    /** SSE-C with the customer's 32-byte key, owned by the caller (destroyed by it). */
    record SseC(SecretBytes customerKey) implements SseChoice {
        public SseC {
            Objects.requireNonNull(customerKey, "customerKey");
        }

        @Override
        public String toString() {
            return "SseC[key hidden]";
        }
    }
}

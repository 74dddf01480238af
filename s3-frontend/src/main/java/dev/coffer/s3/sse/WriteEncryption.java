package dev.coffer.s3.sse;

import java.util.Map;
import java.util.Optional;

/** What a write (PutObject, CopyObject destination, CreateMultipartUpload) asks for. PROVISIONAL: replaced by the sse-headers branch. */
public sealed interface WriteEncryption {
    record None() implements WriteEncryption {}

    record SseS3() implements WriteEncryption {}

    record SseKms(Optional<String> keyId, Map<String, String> context, Optional<Boolean> bucketKeyEnabled)
            implements WriteEncryption {}

    record SseC(CustomerKey key) implements WriteEncryption {}
}

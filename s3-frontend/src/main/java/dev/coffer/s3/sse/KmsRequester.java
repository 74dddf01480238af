package dev.coffer.s3.sse;

import java.util.Objects;

/** Whose permissions a KMS call is made with. */
public sealed interface KmsRequester {
    /** The S3 service itself (SSE-S3's service key). */
    record S3Service() implements KmsRequester {}

    /**
     * The S3 requester, by the access key id that signed the S3 request: the KMS looks the principal
     * up and evaluates its policies with kms:ViaService set.
     */
    record OnBehalfOf(String accessKeyId) implements KmsRequester {
        public OnBehalfOf {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
        }
    }

    static KmsRequester s3Service() {
        return new S3Service();
    }

    static KmsRequester onBehalfOf(String accessKeyId) {
        return new OnBehalfOf(accessKeyId);
    }
}

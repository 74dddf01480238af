package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import java.util.Map;

/**
 * The S3 front end's port to a key management service (Coffer's KMS, reached through the AWS SDK's
 * {@code KmsClient}; see the gateway). SSE-KMS calls it on behalf of the requester, so the KMS
 * evaluates the requester's permissions with {@code kms:ViaService} {@code s3.<region>.amazonaws.com}
 * and audits the requester with {@code invokedBy} s3; SSE-S3 calls it as the S3 service itself,
 * under the service key {@link #SSE_S3_SERVICE_KEY}. Implementations are thread-safe and may block.
 */
public interface KeyService {
    /** The KMS alias of the key that protects SSE-S3 data keys; only the S3 service may use it. */
    String SSE_S3_SERVICE_KEY = "alias/coffer/sse-s3";

    /**
     * GenerateDataKey (AES_256) under {@code keyId} (key id, key ARN, alias name or alias ARN).
     *
     * @throws KeyServiceException with the KMS error when the KMS refuses or cannot be reached
     */
    GeneratedDataKey generateDataKey(KmsRequester requester, String keyId, Map<String, String> encryptionContext);

    /**
     * Decrypt of a ciphertext blob that {@link #generateDataKey} returned, naming the key it was made
     * under (so a blob cannot be redirected to another key) and the same encryption context.
     *
     * @throws KeyServiceException with the KMS error when the KMS refuses or cannot be reached
     */
    SecretBytes decrypt(KmsRequester requester, String keyArn, byte[] ciphertextBlob, Map<String, String> encryptionContext);
}

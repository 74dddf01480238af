package dev.coffer.gateway.sse;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.sse.GeneratedDataKey;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import java.util.Map;

/**
 * The key service of a gateway that has no KMS (neither the kms service nor {@code --kms-endpoint}):
 * S3 still serves unencrypted objects and SSE-C, and every SSE-S3 or SSE-KMS request fails with
 * {@link KeyServiceException#UNAVAILABLE} and a message that says what to configure.
 */
final class UnavailableKeyService implements KeyService {
    private final String reason;

    UnavailableKeyService(String reason) {
        this.reason = reason;
    }

    @Override
    public GeneratedDataKey generateDataKey(KmsRequester requester, String keyId, Map<String, String> encryptionContext) {
        throw new KeyServiceException(KeyServiceException.UNAVAILABLE, reason);
    }

    @Override
    public SecretBytes decrypt(KmsRequester requester, String keyArn, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        throw new KeyServiceException(KeyServiceException.UNAVAILABLE, reason);
    }

    @Override
    public String toString() {
        return "UnavailableKeyService[" + reason + "]";
    }
}

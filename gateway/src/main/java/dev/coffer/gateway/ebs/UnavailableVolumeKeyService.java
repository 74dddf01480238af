package dev.coffer.gateway.ebs;

import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.crypto.SecretBytes;
import java.util.Map;

/**
 * The volume key service of a gateway that has no KMS (neither the kms service nor
 * {@code --kms-endpoint}): every call fails with {@link VolumeKeyException#UNAVAILABLE} and a
 * message that says what to configure.
 */
final class UnavailableVolumeKeyService implements VolumeKeyService {
    private final String reason;

    UnavailableVolumeKeyService(String reason) {
        this.reason = reason;
    }

    @Override
    public String resolveKey(String requester, String keyId) {
        throw unavailable();
    }

    @Override
    public byte[] generateDataKeyWithoutPlaintext(String requester, String keyArn, Map<String, String> encryptionContext) {
        throw unavailable();
    }

    @Override
    public UnsealedKey unseal(String requester, String keyArn, byte[] encryptedDataKey, Map<String, String> encryptionContext) {
        throw unavailable();
    }

    @Override
    public SecretBytes decryptUnderGrant(String keyArn, String grantId, byte[] encryptedDataKey, Map<String, String> encryptionContext) {
        throw unavailable();
    }

    @Override
    public void retireGrant(String keyArn, String grantId) {
        throw unavailable();
    }

    private VolumeKeyException unavailable() {
        return new VolumeKeyException(VolumeKeyException.UNAVAILABLE, reason);
    }

    @Override
    public String toString() {
        return "UnavailableVolumeKeyService[" + reason + "]";
    }
}

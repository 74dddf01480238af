package dev.coffer.crypto.envelope;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A keyring that wraps data keys under a local 256-bit AES key with AES-GCM, bound to the encryption
 * context (format in docs/formats/raw-aes-keyring-v1.md). For development and tests: production data
 * keys come from the KMS keyring. Thread-safe.
 *
 * <pre>
 * providerId   = the keyring's namespace, providerInfo = its key name
 * ciphertext   = version (1 byte, 0x01) || nonce (12) || wrapped data key (32) || tag (16)
 * aad          = canonical encryption context
 * </pre>
 */
public final class RawAesKeyring implements Keyring {
    public static final int VERSION = 1;
    private static final int DATA_KEY_SIZE_BYTES = 32;
    private static final int WRAPPED_SIZE_BYTES = 1 + AesGcm.NONCE_SIZE_BYTES + DATA_KEY_SIZE_BYTES + AesGcm.TAG_SIZE_BYTES;

    private final String namespace;
    private final String keyName;
    private final AesKey wrappingKey;
    private final SecureRandom random;

    public RawAesKeyring(String namespace, String keyName, SecretBytes wrappingKey, SecureRandom random) {
        if (namespace.isEmpty() || keyName.isEmpty()) {
            throw new IllegalArgumentException("namespace and key name must be non-empty");
        }
        this.namespace = namespace;
        this.keyName = keyName;
        this.wrappingKey = AesKey.of(wrappingKey);
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
        if (materials.plaintextDataKey().isPresent()) {
            return materials.withEncryptedDataKey(wrap(materials.plaintextDataKey().get(), materials.encryptionContext()));
        }
        SecretBytes dataKey = SecretBytes.random(DATA_KEY_SIZE_BYTES, random);
        return materials.withGeneratedDataKey(dataKey, wrap(dataKey, materials.encryptionContext()));
    }

    @Override
    public DecryptionMaterials onDecrypt(DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys)
            throws KeyringException {
        for (EncryptedDataKey edk : encryptedDataKeys) {
            if (!edk.providerId().equals(namespace) || !edk.providerInfo().equals(keyName)) {
                continue;
            }
            byte[] wrapped = edk.ciphertext();
            if (wrapped.length != WRAPPED_SIZE_BYTES || (wrapped[0] & 0xff) != VERSION) {
                continue;
            }
            byte[] nonce = Arrays.copyOfRange(wrapped, 1, 1 + AesGcm.NONCE_SIZE_BYTES);
            byte[] dataKey = new byte[DATA_KEY_SIZE_BYTES];
            try {
                new AesGcm().open(wrappingKey, nonce, materials.encryptionContext().canonicalBytes(),
                        wrapped, 1 + AesGcm.NONCE_SIZE_BYTES, DATA_KEY_SIZE_BYTES + AesGcm.TAG_SIZE_BYTES, dataKey, 0);
                return materials.withDataKey(SecretBytes.takeOwnership(dataKey));
            } catch (CiphertextRejectedException e) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        throw new KeyringException(KeyringException.Reason.NO_DECRYPTABLE_KEY,
                "no encrypted data key could be unwrapped by raw AES keyring " + namespace + "/" + keyName);
    }

    private EncryptedDataKey wrap(SecretBytes dataKey, EncryptionContext context) {
        if (dataKey.size() != DATA_KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("data key must be 32 bytes");
        }
        byte[] nonce = new byte[AesGcm.NONCE_SIZE_BYTES];
        random.nextBytes(nonce);
        byte[] out = new byte[WRAPPED_SIZE_BYTES];
        out[0] = (byte) VERSION;
        System.arraycopy(nonce, 0, out, 1, nonce.length);
        new AesGcm().seal(wrappingKey, nonce, context.canonicalBytes(),
                dataKey.unsafeView(SecretAccess.explicitly()), 0, DATA_KEY_SIZE_BYTES, out, 1 + nonce.length);
        return new EncryptedDataKey(namespace, keyName, out);
    }

    @Override
    public String toString() {
        return "RawAesKeyring[" + namespace + "/" + keyName + "]";
    }
}

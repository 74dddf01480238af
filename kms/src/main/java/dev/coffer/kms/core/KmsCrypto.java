package dev.coffer.kms.core;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.envelope.EncryptionContext;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.HsmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * Encrypts and decrypts under a key's material (ciphertext blob format v1): the HSM derives a
 * single-use key from the material and a fresh nonce; AES-GCM with that key runs here. The material
 * never leaves the HSM. Thread-safe.
 */
public final class KmsCrypto {
    private final Hsm hsm;
    private final SecureRandom random;
    private final ThreadLocal<AesGcm> gcm = ThreadLocal.withInitial(AesGcm::new);

    public KmsCrypto(Hsm hsm, SecureRandom random) {
        this.hsm = hsm;
        this.random = random;
    }

    /** Encrypts under the key's current material. */
    public byte[] encrypt(KmsKey key, byte[] plaintext, EncryptionContext context) throws HsmException {
        KeyMaterial material = key.currentMaterial();
        byte[] derivationNonce = new byte[CiphertextBlob.NONCE_SIZE_BYTES];
        byte[] gcmNonce = new byte[CiphertextBlob.NONCE_SIZE_BYTES];
        random.nextBytes(derivationNonce);
        random.nextBytes(gcmNonce);
        CiphertextBlob header = new CiphertextBlob(UUID.fromString(key.keyId()), material.version(), derivationNonce, gcmNonce, new byte[0]);
        byte[] sealed = new byte[plaintext.length + CiphertextBlob.TAG_SIZE_BYTES];
        try (SecretBytes derived = hsm.deriveKey(material.hsmLabel(), CiphertextBlob.derivationInput(derivationNonce))) {
            AesKey k = AesKey.of(derived);
            try {
                gcm.get().seal(k, gcmNonce, header.associatedData(context), plaintext, 0, plaintext.length, sealed, 0);
            } finally {
                k.destroy();
            }
        }
        return new CiphertextBlob(header.keyId(), header.materialVersion(), derivationNonce, gcmNonce, sealed).toBytes();
    }

    /**
     * Decrypts a parsed blob with the material version it names. Returns the plaintext; a wrong
     * context or any altered byte is {@link CiphertextRejectedException}.
     */
    public SecretBytes decrypt(KmsKey key, CiphertextBlob blob, EncryptionContext context)
            throws HsmException, CiphertextRejectedException {
        KeyMaterial material = key.material(blob.materialVersion());
        if (material == null) {
            throw CiphertextRejectedException.malformed("unknown key material version");
        }
        byte[] plaintext = new byte[blob.sealed().length - CiphertextBlob.TAG_SIZE_BYTES];
        try (SecretBytes derived = hsm.deriveKey(material.hsmLabel(), CiphertextBlob.derivationInput(blob.derivationNonce()))) {
            AesKey k = AesKey.of(derived);
            try {
                gcm.get().open(k, blob.gcmNonce(), blob.associatedData(context), blob.sealed(), 0, blob.sealed().length, plaintext, 0);
            } catch (CiphertextRejectedException e) {
                Arrays.fill(plaintext, (byte) 0);
                throw e;
            } finally {
                k.destroy();
            }
        }
        return SecretBytes.takeOwnership(plaintext);
    }
}

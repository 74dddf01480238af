package dev.coffer.kms.hsm;

import dev.coffer.crypto.SecretBytes;
import java.security.PublicKey;

/**
 * The HSM port: where KMS key material lives and is used, never leaving in plaintext. Keys are named
 * by labels chosen by the KMS (e.g. {@code kms/<key id>/<material version>}). Implementations:
 * {@code Pkcs11Hsm} (SunPKCS11; SoftHSM2 in tests) and {@code SoftwareHsm} (a sealed local keystore
 * for development). Thread-safe.
 */
public interface Hsm extends AutoCloseable {
    /** Generates a new AES-256 key inside the HSM: persistent, sensitive, non-extractable. */
    void generateAesKey(String label);

    /** Imports raw AES-256 material (BYOK) into the HSM under a label, where it becomes non-extractable. */
    void importAesKey(String label, SecretBytes material);

    boolean containsKey(String label);

    /** Destroys a key (deleted KMS key, deleted imported material); absent labels are ignored. */
    void destroyKey(String label);

    /** AES-256-GCM encryption inside the HSM; {@code iv} is 12 bytes, unique per call. Returns ciphertext || tag. */
    byte[] seal(String label, byte[] iv, byte[] aad, byte[] plaintext) throws HsmException;

    /** AES-256-GCM decryption inside the HSM; a failed tag is {@link HsmTagMismatchException}. */
    byte[] open(String label, byte[] iv, byte[] aad, byte[] ciphertextAndTag) throws HsmException;

    /** Random bytes from the HSM's generator. */
    byte[] random(int length) throws HsmException;

    /** Signs with the HSM-held signing key of this label, creating the key pair on first use. */
    byte[] sign(String signingKeyLabel, byte[] data) throws HsmException;

    /** Verifies a signature made by {@link #sign}. */
    boolean verify(String signingKeyLabel, byte[] data, byte[] signature) throws HsmException;

    /** The public half of the signing key, when the scheme has one (to publish for offline verification). */
    PublicKey signingPublicKey(String signingKeyLabel) throws HsmException;

    /** The signature algorithm name, e.g. {@code SHA256withECDSA}. */
    String signatureAlgorithm();

    /** What this HSM is, for start-up output and health: never a PIN or key material. */
    String description();

    @Override
    void close();
}

package dev.coffer.kms.hsm;

import dev.coffer.crypto.SecretBytes;
import java.security.PublicKey;

/**
 * The HSM port: where KMS key material lives and is used, never leaving in plaintext. Keys are named
 * by labels chosen by the KMS (e.g. {@code kms/<key id>/<material version>}). Implementations:
 * {@link Pkcs11Hsm} (SunPKCS11; SoftHSM2 in tests) and {@link SoftwareHsm} (a sealed local keystore
 * for development). Thread-safe. See docs/HSM.md.
 *
 * <p>Rules common to every implementation (checked by the contract test kit, {@code HsmContractTest}):
 * <ul>
 *   <li>A label is 1..128 characters of {@code [A-Za-z0-9._:/@+=-]}; one label names one key, AES or
 *       signing. Invalid arguments (bad label, IV not 12 bytes, null) are
 *       {@link IllegalArgumentException} or {@link NullPointerException}.
 *   <li>The key-management calls declare no checked exception: an HSM failure there is an
 *       {@link UncheckedHsmException} carrying the {@link HsmException}; creating a label that exists
 *       is an {@link IllegalStateException}.
 *   <li>{@link HsmTagMismatchException} is only about the caller's ciphertext (wrong key, IV or
 *       associated data, or altered bytes); a missing or damaged key is a plain {@link HsmException}.
 *   <li>No message, {@code toString} or log line carries a PIN or key bytes.
 *   <li>Calls after {@link #close()} throw {@link IllegalStateException}.
 * </ul>
 */
public interface Hsm extends AutoCloseable {
    /**
     * Generates a new AES-256 key inside the HSM: persistent, sensitive, non-extractable.
     *
     * @throws IllegalStateException if the label is taken
     * @throws UncheckedHsmException if the HSM fails
     */
    void generateAesKey(String label);

    /**
     * Imports raw AES-256 material (BYOK, 32 bytes) into the HSM under a label, where it becomes
     * non-extractable. The caller keeps and destroys {@code material}.
     *
     * @throws IllegalStateException if the label is taken
     * @throws UncheckedHsmException if the HSM fails
     */
    void importAesKey(String label, SecretBytes material);

    /** Whether the HSM holds a key (AES or signing) under this label. */
    boolean containsKey(String label);

    /** Destroys a key (deleted KMS key, deleted imported material); absent labels are ignored. */
    void destroyKey(String label);

    /**
     * AES-256-GCM encryption inside the HSM; {@code iv} is 12 bytes and must never repeat under one
     * key (the caller owns IV uniqueness). Returns ciphertext || 16-byte tag.
     */
    byte[] seal(String label, byte[] iv, byte[] aad, byte[] plaintext) throws HsmException;

    /** AES-256-GCM decryption inside the HSM; a failed tag is {@link HsmTagMismatchException}. */
    byte[] open(String label, byte[] iv, byte[] aad, byte[] ciphertextAndTag) throws HsmException;

    /**
     * Derives a single-use 32-byte key inside the HSM: AES-256-ECB encryption of {@code input}, two
     * different 16-byte blocks (e.g. {@code 0x01000000 || nonce} and {@code 0x02000000 || nonce}),
     * under the AES key of this label (docs/formats/kms-ciphertext-v1.md). The result leaves the
     * HSM; the key does not.
     *
     * <p>Use a label either with {@code deriveKey} or with {@code seal}/{@code open}, never both:
     * AES block outputs of a key are what GCM under the same key uses as its keystream and hash key.
     *
     * @throws IllegalArgumentException if {@code input} is not 32 bytes or its two blocks are equal
     */
    SecretBytes deriveKey(String label, byte[] input) throws HsmException;

    /** Random bytes from the HSM's generator. */
    byte[] random(int length) throws HsmException;

    /**
     * Signs {@code data} ({@link #signatureAlgorithm()}, DER-encoded) with the HSM-held signing key of
     * this label, creating the key pair on first use.
     */
    byte[] sign(String signingKeyLabel, byte[] data) throws HsmException;

    /**
     * Verifies a signature made by {@link #sign}: false for a wrong or malformed signature; an
     * {@link HsmException} if there is no signing key of this label.
     */
    boolean verify(String signingKeyLabel, byte[] data, byte[] signature) throws HsmException;

    /**
     * The public half of the signing key (to publish for offline verification with any JDK's
     * {@code Signature}), creating the key pair on first use as {@link #sign} does.
     */
    PublicKey signingPublicKey(String signingKeyLabel) throws HsmException;

    /** The signature algorithm name, e.g. {@code SHA256withECDSA}. */
    String signatureAlgorithm();

    /** What this HSM is, for start-up output and health: never a PIN or key material. */
    String description();

    @Override
    void close();
}

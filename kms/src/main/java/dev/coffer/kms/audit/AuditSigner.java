package dev.coffer.kms.audit;

/**
 * The port through which digest files are signed and verified. The KMS adapts its HSM to it (the
 * digest key stays in the HSM); {@link JcaAuditSigner} is the JDK implementation for tests and for
 * offline verification with a published public key. Implementations are thread-safe.
 */
public interface AuditSigner {
    /**
     * Signs {@code data}.
     *
     * @throws RuntimeException if signing is impossible (HSM unavailable, verify-only signer); the
     *     trail keeps the digest pending and retries
     */
    byte[] sign(byte[] data);

    /** True when {@code signature} is a valid signature of {@code data}; false for any malformed signature. */
    boolean verify(byte[] data, byte[] signature);

    /** The JCA name of the signature algorithm, recorded in every digest, e.g. {@code SHA256withECDSA}. */
    String algorithm();

    /** The label of the signing key, recorded in every digest so a verifier can pick the right public key. */
    String keyLabel();
}

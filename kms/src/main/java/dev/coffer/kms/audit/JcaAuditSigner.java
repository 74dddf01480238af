package dev.coffer.kms.audit;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/**
 * {@link AuditSigner} over a JDK EC key pair, ECDSA P-256 with SHA-256 ({@value #ALGORITHM}): the
 * verifier side of {@code coffer audit verify} given a published public key, and the signer in
 * tests. A verify-only instance ({@link #verifyOnly}) refuses to sign.
 */
public final class JcaAuditSigner implements AuditSigner {
    public static final String ALGORITHM = "SHA256withECDSA";

    private final String keyLabel;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private JcaAuditSigner(String keyLabel, PrivateKey privateKey, PublicKey publicKey) {
        this.keyLabel = AuditRecord.requireNonBlank(keyLabel, "keyLabel");
        this.privateKey = privateKey;
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        if (!"EC".equals(publicKey.getAlgorithm()) || (privateKey != null && !"EC".equals(privateKey.getAlgorithm()))) {
            throw new IllegalArgumentException("an EC key pair is required for " + ALGORITHM);
        }
    }

    /** A fresh P-256 key pair under {@code keyLabel}. */
    public static JcaAuditSigner generateP256(String keyLabel) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return of(keyLabel, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no EC P-256 key pair generator", e);
        }
    }

    public static JcaAuditSigner of(String keyLabel, KeyPair keyPair) {
        return new JcaAuditSigner(keyLabel, keyPair.getPrivate(), keyPair.getPublic());
    }

    /** Verifies only; {@link #sign} throws {@link IllegalStateException}. */
    public static JcaAuditSigner verifyOnly(String keyLabel, PublicKey publicKey) {
        return new JcaAuditSigner(keyLabel, null, publicKey);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        if (privateKey == null) {
            throw new IllegalStateException("audit signer " + keyLabel + " is verify-only");
        }
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + keyLabel + " failed", e);
        }
    }

    @Override
    public boolean verify(byte[] data, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(publicKey);
            signature.update(data);
            return signature.verify(signatureBytes);
        } catch (SignatureException e) {
            return false; // malformed encoding: not a signature of this data
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("public key of " + keyLabel + " is unusable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public String keyLabel() {
        return keyLabel;
    }

    @Override
    public String toString() {
        return "JcaAuditSigner[" + keyLabel + ", " + ALGORITHM + (privateKey == null ? ", verify-only]" : "]");
    }
}

package dev.coffer.kms.hsm;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;

/** The signing scheme both HSMs use: ECDSA over P-256 with SHA-256, DER-encoded signatures. */
final class EcP256 {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    static final ECGenParameterSpec CURVE = new ECGenParameterSpec("secp256r1");

    private EcP256() {}

    /**
     * Verifies with the JDK's own provider: verification needs no secret, and doing it outside the
     * HSM is exactly what an offline verifier of published signatures will do.
     *
     * @return false for a wrong or malformed signature
     */
    static boolean verify(PublicKey publicKey, byte[] data, byte[] signature) throws HsmException {
        try {
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (InvalidKeyException e) {
            throw new HsmException("signing public key is unusable: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new HsmException(SIGNATURE_ALGORITHM + " is missing from this JDK", e);
        }
    }
}

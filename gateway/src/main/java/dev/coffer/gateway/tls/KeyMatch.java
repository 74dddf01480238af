package dev.coffer.gateway.tls;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Whether a private key belongs to a certificate's public key. Checked by signing a random challenge
 * and verifying it, which works for every key form: a PKCS#8 EC key need not carry its public point,
 * so comparing public keys is not always possible. A mismatch found here is a clear start-up error; found
 * by the TLS stack, it would be an obscure handshake failure on every connection.
 */
final class KeyMatch {
    private static final int CHALLENGE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMatch() {}

    /**
     * @throws NoSuchAlgorithmException for a key type TLS servers do not use (only RSA, EC and EdDSA are)
     */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new NoSuchAlgorithmException("unsupported key type " + privateKey.getAlgorithm()
                    + " (RSA, EC or EdDSA expected)");
        };
        byte[] challenge = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(publicKey);
        } catch (InvalidKeyException e) {
            return false; // a public key of another type cannot match
        }
        verifier.update(challenge);
        try {
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // e.g. an RSA signature of the wrong length for this modulus
        }
    }
}

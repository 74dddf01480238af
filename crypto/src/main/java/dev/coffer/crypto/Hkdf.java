package dev.coffer.crypto;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869). */
public final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH_BYTES = 32;
    /** RFC 5869: L must be at most 255 * HashLen. */
    public static final int MAX_OUTPUT_BYTES = 255 * HASH_LENGTH_BYTES;

    private Hkdf() {}

    /**
     * Extract-then-expand: {@code length} bytes of output keying material.
     *
     * @param inputKeyingMaterial the secret (IKM)
     * @param salt optional non-secret salt; an empty array means HashLen zero bytes, as the RFC says
     * @param info context and application specific information
     */
    public static SecretBytes deriveKey(SecretBytes inputKeyingMaterial, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + MAX_OUTPUT_BYTES + ", got " + length);
        }
        byte[] prk = null;
        try {
            Mac mac = Mac.getInstance(HMAC);
            byte[] effectiveSalt = salt.length == 0 ? new byte[HASH_LENGTH_BYTES] : salt;
            mac.init(new SecretKeySpec(effectiveSalt, HMAC));
            prk = mac.doFinal(inputKeyingMaterial.unsafeView(SecretAccess.explicitly()));
            mac.init(new SecretKeySpec(prk, HMAC));
            byte[] okm = new byte[length];
            byte[] previous = new byte[0];
            int written = 0;
            for (int counter = 1; written < length; counter++) {
                mac.update(previous);
                mac.update(info);
                mac.update((byte) counter);
                byte[] block = mac.doFinal();
                int n = Math.min(block.length, length - written);
                System.arraycopy(block, 0, okm, written, n);
                written += n;
                Arrays.fill(previous, (byte) 0);
                previous = block;
            }
            Arrays.fill(previous, (byte) 0);
            return SecretBytes.takeOwnership(okm);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        } finally {
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
        }
    }

}

package dev.coffer.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One AES-256-GCM {@link Cipher} (SunJCE) with the two calls both formats need: seal and open of a
 * whole message into a caller's heap array. Not thread-safe: one instance per thread or per stream.
 * SunJCE on JDK 25 is fastest with heap arrays, which is why this API has no ByteBuffer variant.
 */
public final class AesGcm {
    public static final int NONCE_SIZE_BYTES = 12;
    public static final int TAG_SIZE_BYTES = 16;
    private static final int TAG_SIZE_BITS = TAG_SIZE_BYTES * 8;

    private final Cipher cipher;

    public AesGcm() {
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is missing from this JDK", e);
        }
    }

    /** Encrypts {@code length} bytes and appends the tag; returns the bytes written (length + 16). */
    public int seal(SecretKey key, byte[] nonce, byte[] aad,
                    byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_BITS, nonce));
            if (aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small for " + length + " bytes plus tag", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Verifies the tag and decrypts; returns the plaintext length. On a bad tag nothing is written to
     * {@code out} that the caller may use, and {@link CiphertextRejectedException} is thrown.
     */
    public int open(SecretKey key, byte[] nonce, byte[] aad,
                    byte[] in, int inOffset, int length, byte[] out, int outOffset)
            throws CiphertextRejectedException {
        if (length < TAG_SIZE_BYTES) {
            throw CiphertextRejectedException.malformed("sealed message shorter than its tag");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE_BITS, nonce));
            if (aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            throw CiphertextRejectedException.authenticationFailed();
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small for " + (length - TAG_SIZE_BYTES) + " bytes", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
        }
    }
}

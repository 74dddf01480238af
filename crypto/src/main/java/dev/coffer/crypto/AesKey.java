package dev.coffer.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 256-bit AES key for the JDK's {@code Cipher} that, unlike {@code SecretKeySpec}, can be
 * destroyed. The provider's own expanded key schedule is outside our reach; the raw key is not.
 */
public final class AesKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    public static final int SIZE_BYTES = 32;

    private final byte[] key;
    private volatile boolean destroyed;

    private AesKey(byte[] owned) {
        this.key = owned;
    }

    /** A key from exactly 32 secret bytes (copied). */
    public static AesKey of(SecretBytes secret) {
        if (secret.size() != SIZE_BYTES) {
            throw new IllegalArgumentException("AES-256 key must be " + SIZE_BYTES + " bytes, got " + secret.size());
        }
        return new AesKey(secret.toByteArray(SecretAccess.explicitly()));
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy, as the {@code Key} contract requires; the JDK provider reads it once per init. */
    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("key was destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "AesKey[256 bits" + (destroyed ? ", destroyed" : "") + "]";
    }
}

package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * A validated SSE-C key: the customer's 32-byte AES-256 key and the base64 MD5 of those raw bytes,
 * which S3 echoes in {@code x-amz-server-side-encryption-customer-key-MD5}. {@link #close()}
 * zeroises the key. Neither {@link #toString()} nor any message shows the key, its base64 or its
 * MD5 (an MD5 lets a low-entropy key be guessed offline).
 */
public final class CustomerKey implements AutoCloseable {
    /** The only SSE-C algorithm S3 accepts. */
    public static final String ALGORITHM = "AES256";
    public static final int KEY_SIZE_BYTES = 32;

    private final SecretBytes key;
    private final String keyMd5;

    private CustomerKey(SecretBytes key, String keyMd5) {
        this.key = key;
        this.keyMd5 = keyMd5;
    }

    /**
     * Takes ownership of {@code key} (32 bytes) and computes its MD5.
     *
     * @throws IllegalArgumentException when {@code key} is not 32 bytes
     */
    public static CustomerKey of(SecretBytes key) {
        Objects.requireNonNull(key, "key");
        if (key.size() != KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("an SSE-C key is " + KEY_SIZE_BYTES + " bytes, not " + key.size());
        }
        return new CustomerKey(key, Base64.getEncoder().encodeToString(md5(key)));
    }

    /** A copy of {@code rawKey} (32 bytes); the caller still zeroises its own array. */
    public static CustomerKey copyOf(byte[] rawKey) {
        return of(SecretBytes.copyOf(rawKey));
    }

    /** MD5 of the raw key bytes (RFC 1321), as SSE-C defines the key's fingerprint. */
    static byte[] md5(SecretBytes key) {
        try {
            return MessageDigest.getInstance("MD5").digest(key.unsafeView(SecretAccess.explicitly()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

    /** The 32 key bytes; destroyed by {@link #close()}. */
    public SecretBytes key() {
        return key;
    }

    /** The canonical base64 of the MD5 of the raw key, for the response header. */
    public String keyMd5() {
        return keyMd5;
    }

    /** Whether {@code other} is the same key, compared in constant time. */
    public boolean sameKeyAs(CustomerKey other) {
        return key.contentEquals(other.key);
    }

    @Override
    public void close() {
        key.destroy();
    }

    @Override
    public String toString() {
        return "CustomerKey[" + ALGORITHM + (key.isDestroyed() ? ", destroyed" : "") + "]";
    }
}

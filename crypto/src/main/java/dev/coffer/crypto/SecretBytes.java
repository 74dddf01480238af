package dev.coffer.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * Secret bytes (a data key, a derived key, an SSE-C key): readable only with an explicit
 * {@link SecretAccess}, zeroised by {@link #destroy()} (or {@link #close()}), never shown by
 * {@link #toString()}, compared in constant time.
 *
 * <p>Instances are thread-safe for reading; destroying an instance while another thread reads it
 * is a caller bug and surfaces as {@link IllegalStateException} when detected.
 */
public final class SecretBytes implements Destroyable, AutoCloseable {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] owned) {
        this.bytes = owned;
    }

    /** Copies {@code source}; the caller remains responsible for zeroising its own array. */
    public static SecretBytes copyOf(byte[] source) {
        return new SecretBytes(source.clone());
    }

    /** Copies {@code length} bytes of {@code source} from {@code offset}. */
    public static SecretBytes copyOf(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        return new SecretBytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** Takes ownership of {@code source} without copying: the caller must not keep or use it. */
    public static SecretBytes takeOwnership(byte[] source) {
        return new SecretBytes(source);
    }

    /** Fresh random bytes from {@code random}. */
    public static SecretBytes random(int length, SecureRandom random) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new SecretBytes(b);
    }

    public int size() {
        return bytes.length;
    }

    /** A copy of the secret; zeroise it when done. */
    public byte[] toByteArray(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        checkAlive();
        return bytes.clone();
    }

    /**
     * The backing array itself, for the hot path that feeds it straight to a MAC or cipher without a
     * copy. Never modify it, never keep it beyond the call.
     */
    public byte[] unsafeView(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        checkAlive();
        return bytes;
    }

    /** Constant-time equality of the secret contents. */
    public boolean contentEquals(SecretBytes other) {
        checkAlive();
        other.checkAlive();
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("secret bytes were destroyed");
        }
    }

    /** Never shows the secret, only its size. */
    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
    }

    /** Identity equality only: use {@link #contentEquals} to compare secrets deliberately. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}

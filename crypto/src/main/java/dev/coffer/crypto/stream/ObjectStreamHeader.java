package dev.coffer.crypto.stream;

import dev.coffer.crypto.CiphertextRejectedException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 44-byte header that starts every object stream (layout in docs/formats/object-stream-v1.md):
 * version, plaintext segment size, the per-stream salt from which the content key is derived, and
 * the nonce prefix. Not secret.
 */
public final class ObjectStreamHeader {
    private final int segmentSizeBytes;
    private final byte[] salt;
    private final byte[] noncePrefix;

    private ObjectStreamHeader(int segmentSizeBytes, byte[] salt, byte[] noncePrefix) {
        this.segmentSizeBytes = segmentSizeBytes;
        this.salt = salt;
        this.noncePrefix = noncePrefix;
    }

    /** A header with a fresh random salt and nonce prefix: the only way production code makes one. */
    public static ObjectStreamHeader random(ObjectStreamParameters parameters, SecureRandom random) {
        byte[] salt = new byte[ObjectStreamV1.SALT_SIZE_BYTES];
        byte[] prefix = new byte[ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(prefix);
        return new ObjectStreamHeader(parameters.segmentSizeBytes(), salt, prefix);
    }

    /** A header with the given salt and prefix, for known-answer tests. */
    public static ObjectStreamHeader of(ObjectStreamParameters parameters, byte[] salt, byte[] noncePrefix) {
        if (salt.length != ObjectStreamV1.SALT_SIZE_BYTES || noncePrefix.length != ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES) {
            throw new IllegalArgumentException("salt must be " + ObjectStreamV1.SALT_SIZE_BYTES
                    + " bytes and nonce prefix " + ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES + " bytes");
        }
        return new ObjectStreamHeader(parameters.segmentSizeBytes(), salt.clone(), noncePrefix.clone());
    }

    /** Parses and validates the first {@link ObjectStreamV1#HEADER_SIZE_BYTES} bytes of a stream. */
    public static ObjectStreamHeader parse(byte[] bytes, int offset) throws CiphertextRejectedException {
        if (bytes.length - offset < ObjectStreamV1.HEADER_SIZE_BYTES) {
            throw CiphertextRejectedException.malformed("object stream shorter than its header");
        }
        int version = bytes[offset] & 0xff;
        if (version != ObjectStreamV1.VERSION) {
            throw CiphertextRejectedException.unsupportedVersion("object stream", version);
        }
        long segmentSize = ((bytes[offset + 1] & 0xffL) << 24) | ((bytes[offset + 2] & 0xff) << 16)
                | ((bytes[offset + 3] & 0xff) << 8) | (bytes[offset + 4] & 0xff);
        if (!ObjectStreamParameters.isValidSegmentSize(segmentSize)) {
            throw CiphertextRejectedException.malformed("segment size " + segmentSize + " out of range");
        }
        int p = offset + 5;
        byte[] salt = Arrays.copyOfRange(bytes, p, p + ObjectStreamV1.SALT_SIZE_BYTES);
        p += ObjectStreamV1.SALT_SIZE_BYTES;
        byte[] prefix = Arrays.copyOfRange(bytes, p, p + ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES);
        return new ObjectStreamHeader((int) segmentSize, salt, prefix);
    }

    public int segmentSizeBytes() {
        return segmentSizeBytes;
    }

    byte[] salt() {
        return salt;
    }

    byte[] noncePrefix() {
        return noncePrefix;
    }

    /** The header's 44 bytes as stored. */
    public byte[] toBytes() {
        byte[] out = new byte[ObjectStreamV1.HEADER_SIZE_BYTES];
        out[0] = (byte) ObjectStreamV1.VERSION;
        out[1] = (byte) (segmentSizeBytes >>> 24);
        out[2] = (byte) (segmentSizeBytes >>> 16);
        out[3] = (byte) (segmentSizeBytes >>> 8);
        out[4] = (byte) segmentSizeBytes;
        System.arraycopy(salt, 0, out, 5, salt.length);
        System.arraycopy(noncePrefix, 0, out, 5 + salt.length, noncePrefix.length);
        return out;
    }

    @Override
    public String toString() {
        return "ObjectStreamHeader[v1, segment " + segmentSizeBytes + " B, salt "
                + HexFormat.of().formatHex(salt) + "]";
    }
}

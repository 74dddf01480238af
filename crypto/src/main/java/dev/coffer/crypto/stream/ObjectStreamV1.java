package dev.coffer.crypto.stream;

import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.Hkdf;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;

/**
 * The pure functions of object stream format v1 (docs/formats/object-stream-v1.md): content-key
 * derivation, the nonce of a segment, and the exact size arithmetic between plaintext and
 * ciphertext. Everything else in this package is plumbing around these.
 */
public final class ObjectStreamV1 {
    public static final int VERSION = 1;
    public static final int SALT_SIZE_BYTES = 32;
    public static final int NONCE_PREFIX_SIZE_BYTES = 7;
    /** version (1) + segment size (4) + salt (32) + nonce prefix (7). */
    public static final int HEADER_SIZE_BYTES = 1 + 4 + SALT_SIZE_BYTES + NONCE_PREFIX_SIZE_BYTES;
    public static final int TAG_SIZE_BYTES = 16;
    public static final int DATA_KEY_SIZE_BYTES = 32;
    /** The segment index is a 32-bit unsigned counter in the nonce. */
    public static final long MAX_SEGMENTS = 1L << 32;

    static final byte[] KDF_LABEL = "coffer/object-stream/v1".getBytes(StandardCharsets.US_ASCII);

    private ObjectStreamV1() {}

    /**
     * The content key of one stream: HKDF-SHA256 with the data key as input keying material, the
     * stream's salt as salt, and info = label || 0x00 || header bytes || associated data. So a new
     * salt gives a new key (one data key can serve many streams), and any change to the header or to
     * the associated data gives a different key, which fails every tag.
     */
    public static AesKey deriveContentKey(SecretBytes dataKey, ObjectStreamHeader header, byte[] associatedData) {
        if (dataKey.size() != DATA_KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("data key must be " + DATA_KEY_SIZE_BYTES + " bytes, got " + dataKey.size());
        }
        byte[] headerBytes = header.toBytes();
        byte[] info = new byte[KDF_LABEL.length + 1 + headerBytes.length + associatedData.length];
        System.arraycopy(KDF_LABEL, 0, info, 0, KDF_LABEL.length);
        System.arraycopy(headerBytes, 0, info, KDF_LABEL.length + 1, headerBytes.length);
        System.arraycopy(associatedData, 0, info, KDF_LABEL.length + 1 + headerBytes.length, associatedData.length);
        try (SecretBytes contentKey = Hkdf.deriveKey(dataKey, header.salt(), info, AesKey.SIZE_BYTES)) {
            return AesKey.of(contentKey);
        }
    }

    /** nonce = prefix (7 bytes) || segment index (4 bytes, big-endian) || last-segment flag (1 byte). */
    public static byte[] segmentNonce(byte[] noncePrefix, long segmentIndex, boolean lastSegment) {
        if (segmentIndex < 0 || segmentIndex >= MAX_SEGMENTS) {
            throw new IllegalArgumentException("segment index out of range: " + segmentIndex);
        }
        byte[] nonce = new byte[12];
        System.arraycopy(noncePrefix, 0, nonce, 0, NONCE_PREFIX_SIZE_BYTES);
        nonce[7] = (byte) (segmentIndex >>> 24);
        nonce[8] = (byte) (segmentIndex >>> 16);
        nonce[9] = (byte) (segmentIndex >>> 8);
        nonce[10] = (byte) segmentIndex;
        nonce[11] = (byte) (lastSegment ? 1 : 0);
        return nonce;
    }

    /** Segments in a stream of {@code plaintextSize} bytes: at least one, so an empty object still has a tag. */
    public static long segmentCount(long plaintextSize, int segmentSizeBytes) {
        if (plaintextSize < 0) {
            throw new IllegalArgumentException("negative plaintext size");
        }
        return plaintextSize == 0 ? 1 : (plaintextSize + segmentSizeBytes - 1) / segmentSizeBytes;
    }

    /** The largest plaintext one stream can hold with this segment size. */
    public static long maxPlaintextSize(int segmentSizeBytes) {
        return MAX_SEGMENTS * segmentSizeBytes;
    }

    /** Exact stored size: header + plaintext + one tag per segment. */
    public static long ciphertextSize(long plaintextSize, int segmentSizeBytes) {
        if (plaintextSize > maxPlaintextSize(segmentSizeBytes)) {
            throw new IllegalArgumentException("plaintext too large for one stream: " + plaintextSize);
        }
        return HEADER_SIZE_BYTES + plaintextSize + TAG_SIZE_BYTES * segmentCount(plaintextSize, segmentSizeBytes);
    }

    /**
     * The plaintext size of a stored stream of {@code ciphertextSize} bytes, or an exception when no
     * plaintext size maps to it (so a truncated or extended stream is refused before any read).
     */
    public static long plaintextSize(long ciphertextSize, int segmentSizeBytes) throws CiphertextRejectedException {
        long body = ciphertextSize - HEADER_SIZE_BYTES;
        if (body < TAG_SIZE_BYTES) {
            throw CiphertextRejectedException.truncatedOrExtended("no complete segment after the header");
        }
        long fullSegment = (long) segmentSizeBytes + TAG_SIZE_BYTES;
        long segments = (body + fullSegment - 1) / fullSegment;
        long lastSegmentCiphertext = body - (segments - 1) * fullSegment;
        if (lastSegmentCiphertext < TAG_SIZE_BYTES || segments > MAX_SEGMENTS) {
            throw CiphertextRejectedException.truncatedOrExtended("size " + ciphertextSize + " is not a valid stream size");
        }
        if (lastSegmentCiphertext == TAG_SIZE_BYTES && segments > 1) {
            // Only an empty stream has an empty segment; a writer never appends one after a full segment.
            throw CiphertextRejectedException.truncatedOrExtended("empty segment after the first");
        }
        return body - segments * TAG_SIZE_BYTES;
    }

    /** Offset of segment {@code index}'s ciphertext within the stream. */
    static long segmentOffset(long index, int segmentSizeBytes) {
        return HEADER_SIZE_BYTES + index * ((long) segmentSizeBytes + TAG_SIZE_BYTES);
    }
}

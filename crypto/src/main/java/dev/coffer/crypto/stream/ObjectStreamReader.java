package dev.coffer.crypto.stream;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Random-access decryption of a stored object stream whose ciphertext size is known: any plaintext
 * byte range is served by reading and verifying only the segments it touches. Bytes of a segment are
 * released only after that segment's tag verified.
 *
 * <p>A range that does not reach the last segment cannot see a truncation at a segment boundary
 * after it (that is what random access means); callers that stored the plaintext size should check
 * it against {@link #plaintextSize()}, and a read that reaches the end always verifies the last
 * segment's flag. The reader itself is thread-safe; each opened range is not.
 */
public final class ObjectStreamReader implements AutoCloseable {
    private static final byte[] NO_SEGMENT_AAD = new byte[0];

    private final CiphertextSource source;
    private final ObjectStreamHeader header;
    private final AesKey contentKey;
    private final long plaintextSize;
    private final long lastIndex;

    private ObjectStreamReader(CiphertextSource source, ObjectStreamHeader header, AesKey contentKey, long plaintextSize) {
        this.source = source;
        this.header = header;
        this.contentKey = contentKey;
        this.plaintextSize = plaintextSize;
        this.lastIndex = ObjectStreamV1.segmentCount(plaintextSize, header.segmentSizeBytes()) - 1;
    }

    /** Reads and checks the header, derives the content key, and checks the size is a valid stream size. */
    public static ObjectStreamReader open(SecretBytes dataKey, byte[] associatedData,
                                          CiphertextSource source, long ciphertextSize) throws IOException {
        if (ciphertextSize < ObjectStreamV1.HEADER_SIZE_BYTES) {
            throw CiphertextRejectedException.truncatedOrExtended("shorter than the header");
        }
        byte[] headerBytes = new byte[ObjectStreamV1.HEADER_SIZE_BYTES];
        source.readFully(0, headerBytes, 0, headerBytes.length);
        ObjectStreamHeader header = ObjectStreamHeader.parse(headerBytes, 0);
        long plaintextSize = ObjectStreamV1.plaintextSize(ciphertextSize, header.segmentSizeBytes());
        AesKey key = ObjectStreamV1.deriveContentKey(dataKey, header, associatedData);
        return new ObjectStreamReader(source, header, key, plaintextSize);
    }

    public long plaintextSize() {
        return plaintextSize;
    }

    public int segmentSizeBytes() {
        return header.segmentSizeBytes();
    }

    /** The whole plaintext; for an empty object this still verifies its one (empty) segment. */
    public InputStream openAll() {
        return openRange(0, plaintextSize);
    }

    /** Plaintext bytes {@code [fromInclusive, toExclusive)}. */
    public InputStream openRange(long fromInclusive, long toExclusive) {
        if (fromInclusive < 0 || toExclusive > plaintextSize || fromInclusive > toExclusive) {
            throw new IndexOutOfBoundsException("range [" + fromInclusive + ", " + toExclusive
                    + ") outside a plaintext of " + plaintextSize + " bytes");
        }
        return new RangeStream(fromInclusive, toExclusive);
    }

    @Override
    public void close() {
        contentKey.destroy();
    }

    /**
     * Decrypts one segment at a time and serves the requested slice of it: straight into the caller's
     * array when the caller asks for a whole segment, else through a plaintext buffer. Each buffer is
     * allocated on first need (a reader that takes whole segments from an in-memory source needs
     * neither: at 1 MiB segments the two would be 2 MiB to zero per stream).
     */
    private final class RangeStream extends InputStream {
        private final AesGcm gcm = new AesGcm();
        private final int segmentSize = header.segmentSizeBytes();
        private final int bufferSize;
        private byte[] ciphertext;
        private byte[] plaintext;
        private long position;
        private final long end;
        private boolean verifyEmptyStream;
        /** Valid plaintext of the loaded segment is plaintext[bufferStart, bufferEnd). */
        private int bufferStart;
        private int bufferEnd;
        private boolean closed;

        RangeStream(long from, long to) {
            this.position = from;
            this.end = to;
            this.verifyEmptyStream = plaintextSize == 0;
            this.bufferSize = (int) Math.min(segmentSize, Math.max(plaintextSize, 0));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            if (verifyEmptyStream) {
                loadSegment(0);
                verifyEmptyStream = false;
            }
            if (len == 0) {
                return 0;
            }
            if (bufferStart == bufferEnd) {
                if (position >= end) {
                    return -1;
                }
                long index = position / segmentSize;
                long segmentStart = index * segmentSize;
                int segmentLength = segmentPlaintextLength(index);
                if (position == segmentStart && len >= segmentLength && segmentStart + segmentLength <= end) {
                    // The caller wants this whole segment: decrypt straight into its array, no copy.
                    // A failed tag leaves no plaintext there (the cipher clears its output) and throws.
                    int n = openSegment(index, b, off);
                    position += n;
                    return n;
                }
                loadSegment(index);
                bufferStart = (int) (position - segmentStart);
                bufferEnd = (int) Math.min(bufferEnd, end - segmentStart);
            }
            int n = Math.min(len, bufferEnd - bufferStart);
            System.arraycopy(plaintext, bufferStart, b, off, n);
            bufferStart += n;
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            long buffered = bufferEnd - bufferStart;
            if (n <= buffered) {
                bufferStart += (int) n;
                position += n;
                return n;
            }
            long skipped = Math.min(n, end - position);
            position += skipped;
            bufferStart = bufferEnd = 0;
            return skipped;
        }

        private int segmentPlaintextLength(long index) {
            return (int) (index < lastIndex ? segmentSize : plaintextSize - lastIndex * segmentSize);
        }

        private void loadSegment(long index) throws IOException {
            bufferStart = 0;
            bufferEnd = 0;
            if (plaintext == null) {
                plaintext = new byte[bufferSize];
            }
            bufferEnd = openSegment(index, plaintext, 0);
        }

        /** Verifies and decrypts segment {@code index} into {@code out}; from the source's array when it has one. */
        private int openSegment(long index, byte[] out, int outOffset) throws IOException {
            int length = segmentPlaintextLength(index) + AesGcm.TAG_SIZE_BYTES;
            long at = ObjectStreamV1.segmentOffset(index, segmentSize);
            byte[] nonce = ObjectStreamV1.segmentNonce(header.noncePrefix(), index, index == lastIndex);
            byte[] whole = source.inMemory();
            if (whole != null && at + length <= whole.length) {
                return gcm.open(contentKey, nonce, NO_SEGMENT_AAD, whole, (int) at, length, out, outOffset);
            }
            if (ciphertext == null) {
                ciphertext = new byte[bufferSize + AesGcm.TAG_SIZE_BYTES];
            }
            source.readFully(at, ciphertext, 0, length);
            return gcm.open(contentKey, nonce, NO_SEGMENT_AAD, ciphertext, 0, length, out, outOffset);
        }

        @Override
        public void close() {
            closed = true;
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }
}

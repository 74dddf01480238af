package dev.coffer.crypto.stream;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts one object stream, pushing the header and then the sealed segments to a {@link ByteSink}
 * as plaintext arrives in chunks of any size. Memory is bounded by one working buffer.
 *
 * <p>With the plaintext length declared up front (S3 always knows it), each chunk is encrypted as it
 * arrives, without copying it into a segment buffer: the last-segment flag is known when a segment
 * starts. With {@link #UNKNOWN_LENGTH} one segment is held back until the next byte or the end of
 * input shows whether it was the last. Both write the same format.
 *
 * <p>Not thread-safe; one instance per stream. {@link #close()} destroys the content key.
 */
public final class ObjectStreamEncryptor implements AutoCloseable {
    /** Pass as the plaintext length when it is not known in advance. */
    public static final long UNKNOWN_LENGTH = -1;
    private static final int WORK_CHUNK_BYTES = 64 * 1024;

    private final ObjectStreamHeader header;
    private final AesKey contentKey;
    private final int segmentSize;
    private final long declaredLength;
    private final long lastIndex;
    private final Cipher cipher;
    private final byte[] out;
    /** Only in unknown-length mode: the held-back plaintext of the current segment. */
    private final byte[] pending;

    private boolean headerWritten;
    private boolean finished;
    private long segmentIndex;
    private long consumed;
    /** Known-length mode: plaintext bytes fed into the current, started segment. */
    private int segmentFilled;
    private boolean segmentStarted;
    /** Unknown-length mode: bytes held in {@link #pending}. */
    private int pendingLength;

    private ObjectStreamEncryptor(ObjectStreamHeader header, SecretBytes dataKey, byte[] associatedData, long plaintextLength) {
        this.header = header;
        this.segmentSize = header.segmentSizeBytes();
        if (plaintextLength != UNKNOWN_LENGTH) {
            if (plaintextLength < 0 || plaintextLength > ObjectStreamV1.maxPlaintextSize(segmentSize)) {
                throw new IllegalArgumentException("plaintext length out of range: " + plaintextLength);
            }
        }
        this.declaredLength = plaintextLength;
        this.lastIndex = plaintextLength == UNKNOWN_LENGTH ? -1 : ObjectStreamV1.segmentCount(plaintextLength, segmentSize) - 1;
        this.contentKey = ObjectStreamV1.deriveContentKey(dataKey, header, associatedData);
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is missing from this JDK", e);
        }
        if (plaintextLength == UNKNOWN_LENGTH) {
            this.pending = new byte[segmentSize];
            this.out = new byte[segmentSize + AesGcm.TAG_SIZE_BYTES];
        } else {
            this.pending = null;
            this.out = new byte[WORK_CHUNK_BYTES + 2 * AesGcm.TAG_SIZE_BYTES];
        }
    }

    /**
     * Starts a stream with a fresh random header.
     *
     * @param plaintextLength the exact number of plaintext bytes that will follow, or {@link #UNKNOWN_LENGTH}
     */
    public static ObjectStreamEncryptor start(ObjectStreamParameters parameters, SecretBytes dataKey,
                                              byte[] associatedData, long plaintextLength, SecureRandom random) {
        return new ObjectStreamEncryptor(ObjectStreamHeader.random(parameters, random), dataKey, associatedData, plaintextLength);
    }

    /** Starts a stream with a given header: for known-answer tests; production uses the random one. */
    public static ObjectStreamEncryptor startWithHeader(ObjectStreamHeader header, SecretBytes dataKey,
                                                        byte[] associatedData, long plaintextLength) {
        return new ObjectStreamEncryptor(header, dataKey, associatedData, plaintextLength);
    }

    /** Exact size of the stream this encryptor writes, when the length was declared. */
    public long ciphertextSize() {
        if (declaredLength == UNKNOWN_LENGTH) {
            throw new IllegalStateException("plaintext length was not declared");
        }
        return ObjectStreamV1.ciphertextSize(declaredLength, segmentSize);
    }

    /** Encrypts the next {@code length} plaintext bytes, pushing whatever ciphertext is ready. */
    public void update(byte[] plaintext, int offset, int length, ByteSink sink) throws IOException {
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        checkOpen();
        writeHeaderOnce(sink);
        if (declaredLength != UNKNOWN_LENGTH && consumed + length > declaredLength) {
            throw new IllegalArgumentException("more plaintext than the declared " + declaredLength + " bytes");
        }
        if (declaredLength == UNKNOWN_LENGTH) {
            updateHoldingBack(plaintext, offset, length, sink);
        } else {
            updateStreaming(plaintext, offset, length, sink);
        }
        consumed += length;
    }

    /** Ends the stream: seals the last segment and pushes it. */
    public void finish(ByteSink sink) throws IOException {
        checkOpen();
        writeHeaderOnce(sink);
        if (declaredLength == UNKNOWN_LENGTH) {
            sealPending(true, sink);
        } else {
            if (consumed != declaredLength) {
                throw new IllegalStateException("stream ended after " + consumed + " of the declared " + declaredLength + " bytes");
            }
            if (declaredLength == 0) {
                beginSegment();
                finishSegment(sink);
            }
        }
        finished = true;
        close();
    }

    private void updateStreaming(byte[] in, int offset, int length, ByteSink sink) throws IOException {
        while (length > 0) {
            if (!segmentStarted) {
                beginSegment();
            }
            int segmentLength = currentSegmentLength();
            int take = Math.min(Math.min(length, segmentLength - segmentFilled), WORK_CHUNK_BYTES);
            int n;
            try {
                n = cipher.update(in, offset, take, out, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException("working buffer too small", e);
            }
            if (n > 0) {
                sink.write(out, 0, n);
            }
            offset += take;
            length -= take;
            segmentFilled += take;
            if (segmentFilled == segmentLength) {
                finishSegment(sink);
            }
        }
    }

    private void updateHoldingBack(byte[] in, int offset, int length, ByteSink sink) throws IOException {
        while (length > 0) {
            if (pendingLength == segmentSize) {
                // More plaintext follows, so the held-back full segment was not the last one.
                sealPending(false, sink);
            }
            int take = Math.min(length, segmentSize - pendingLength);
            System.arraycopy(in, offset, pending, pendingLength, take);
            pendingLength += take;
            offset += take;
            length -= take;
        }
    }

    private void sealPending(boolean last, ByteSink sink) throws IOException {
        initCipher(segmentIndex, last);
        try {
            int n = cipher.doFinal(pending, 0, pendingLength, out, 0);
            sink.write(out, 0, n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        pendingLength = 0;
        segmentIndex++;
    }

    private int currentSegmentLength() {
        return segmentIndex < lastIndex ? segmentSize : (int) (declaredLength - lastIndex * segmentSize);
    }

    private void beginSegment() {
        initCipher(segmentIndex, segmentIndex == lastIndex);
        segmentStarted = true;
        segmentFilled = 0;
    }

    private void finishSegment(ByteSink sink) throws IOException {
        try {
            int n = cipher.doFinal(out, 0);
            sink.write(out, 0, n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        segmentStarted = false;
        segmentIndex++;
    }

    private void initCipher(long index, boolean last) {
        if (index >= ObjectStreamV1.MAX_SEGMENTS) {
            throw new IllegalArgumentException("stream exceeds " + ObjectStreamV1.MAX_SEGMENTS + " segments");
        }
        byte[] nonce = ObjectStreamV1.segmentNonce(header.noncePrefix(), index, last);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, contentKey, new GCMParameterSpec(AesGcm.TAG_SIZE_BYTES * 8, nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM init failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private void writeHeaderOnce(ByteSink sink) throws IOException {
        if (!headerWritten) {
            byte[] h = header.toBytes();
            sink.write(h, 0, h.length);
            headerWritten = true;
        }
    }

    private void checkOpen() {
        if (finished || contentKey.isDestroyed()) {
            throw new IllegalStateException("stream already finished or closed");
        }
    }

    /** Destroys the content key; an unfinished stream cannot be continued. */
    @Override
    public void close() {
        contentKey.destroy();
    }
}

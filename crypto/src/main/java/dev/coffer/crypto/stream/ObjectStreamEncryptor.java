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
 * <p>Two ways to take the output: {@link #update(byte[], int, int, byte[], int)} writes straight
 * into the caller's array, like {@code Cipher.update} (the data path: no extra copy), and the
 * {@link ByteSink} methods push from a working buffer (convenience). Both produce the same bytes.
 *
 * <p>Not thread-safe; one instance per stream. {@link #close()} destroys the content key.
 */
public final class ObjectStreamEncryptor implements AutoCloseable {
    /** Pass as the plaintext length when it is not known in advance. */
    public static final long UNKNOWN_LENGTH = -1;
    private static final int WORK_CHUNK_BYTES = 64 * 1024;
    /** A partial AES block the cipher may still hold, plus the tag-sized room SunJCE checks for on every call. */
    private static final int CIPHER_SLACK_BYTES = 2 * AesGcm.TAG_SIZE_BYTES;

    private final ObjectStreamHeader header;
    private final AesKey contentKey;
    private final int segmentSize;
    private final long declaredLength;
    private final long lastIndex;
    private final Cipher cipher;
    /** The working buffer of the ByteSink methods only; the array methods write into the caller's. */
    private byte[] out;
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
        this.pending = plaintextLength == UNKNOWN_LENGTH ? new byte[segmentSize] : null;
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

    /**
     * The most bytes {@link #update(byte[], int, int, byte[], int)} can write for {@code length}
     * plaintext bytes: the header if not yet written, the bytes (and, with an unknown length, the
     * held-back ones), a tag for every segment that can complete, and room for the cipher's partial
     * block and for SunJCE, which wants a tag's worth of space free even on update.
     */
    public int updateOutputBound(int length) {
        long header = headerWritten ? 0 : ObjectStreamV1.HEADER_SIZE_BYTES;
        long plaintext = (long) length + (declaredLength == UNKNOWN_LENGTH ? pendingLength : 0);
        long bound = header + plaintext + (long) AesGcm.TAG_SIZE_BYTES * (plaintext / segmentSize + 2) + CIPHER_SLACK_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, bound);
    }

    /** The most bytes {@link #finish(byte[], int)} can write. */
    public int finishOutputBound() {
        return (headerWritten ? 0 : ObjectStreamV1.HEADER_SIZE_BYTES)
                + (declaredLength == UNKNOWN_LENGTH ? pendingLength : 0) + 2 * AesGcm.TAG_SIZE_BYTES + CIPHER_SLACK_BYTES;
    }

    /**
     * Encrypts the next {@code length} plaintext bytes straight into {@code out} (which must have
     * {@link #updateOutputBound(int)} bytes free from {@code outOffset}), the {@code Cipher.update}
     * idiom: no copy beyond the cipher's own writes. Returns the bytes written.
     */
    public int update(byte[] plaintext, int offset, int length, byte[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        checkOpen();
        if (declaredLength != UNKNOWN_LENGTH && consumed + length > declaredLength) {
            throw new IllegalArgumentException("more plaintext than the declared " + declaredLength + " bytes");
        }
        int written = writeHeaderOnce(out, outOffset);
        written += declaredLength == UNKNOWN_LENGTH
                ? updateHoldingBack(plaintext, offset, length, out, outOffset + written)
                : updateStreaming(plaintext, offset, length, out, outOffset + written);
        consumed += length;
        return written;
    }

    /** Ends the stream into {@code out} ({@link #finishOutputBound()} bytes free); returns the bytes written. */
    public int finish(byte[] out, int outOffset) {
        checkOpen();
        int written = writeHeaderOnce(out, outOffset);
        if (declaredLength == UNKNOWN_LENGTH) {
            written += sealPending(true, out, outOffset + written);
        } else {
            if (consumed != declaredLength) {
                throw new IllegalStateException("stream ended after " + consumed + " of the declared " + declaredLength + " bytes");
            }
            if (declaredLength == 0) {
                beginSegment();
                written += finishSegment(out, outOffset + written);
            }
        }
        finished = true;
        close();
        return written;
    }

    /** Encrypts the next {@code length} plaintext bytes, pushing whatever ciphertext is ready to {@code sink}. */
    public void update(byte[] plaintext, int offset, int length, ByteSink sink) throws IOException {
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        int done = 0;
        do {
            // Slices keep the working buffer's bound small whatever the caller hands in.
            int take = Math.min(length - done, WORK_CHUNK_BYTES);
            int n = update(plaintext, offset + done, take, work(take), 0);
            if (n > 0) {
                sink.write(out, 0, n);
            }
            done += take;
        } while (done < length);
    }

    /** Ends the stream: seals the last segment and pushes it to {@code sink}. */
    public void finish(ByteSink sink) throws IOException {
        int n = finish(work(0), 0);
        if (n > 0) {
            sink.write(out, 0, n);
        }
    }

    private byte[] work(int length) {
        int bound = Math.max(updateOutputBound(length), finishOutputBound());
        if (out == null || out.length < bound) {
            out = new byte[bound];
        }
        return out;
    }

    private int updateStreaming(byte[] in, int offset, int length, byte[] dst, int dstOffset) {
        int written = 0;
        while (length > 0) {
            if (!segmentStarted) {
                beginSegment();
            }
            int segmentLength = currentSegmentLength();
            int take = Math.min(length, segmentLength - segmentFilled);
            if (segmentFilled == 0 && take == segmentLength) {
                // The whole segment is in this input: one doFinal seals it, which costs SunJCE one call
                // less than update + doFinal (a tenth of a 64 KiB segment's time is per-call overhead).
                written += sealWholeSegment(in, offset, take, dst, dstOffset + written);
                offset += take;
                length -= take;
                continue;
            }
            try {
                written += cipher.update(in, offset, take, dst, dstOffset + written);
            } catch (ShortBufferException e) {
                throw new IllegalArgumentException("output buffer smaller than updateOutputBound", e);
            }
            offset += take;
            length -= take;
            segmentFilled += take;
            if (segmentFilled == segmentLength) {
                written += finishSegment(dst, dstOffset + written);
            }
        }
        return written;
    }

    private int updateHoldingBack(byte[] in, int offset, int length, byte[] dst, int dstOffset) {
        int written = 0;
        while (length > 0) {
            if (pendingLength == segmentSize) {
                // More plaintext follows, so the held-back full segment was not the last one.
                written += sealPending(false, dst, dstOffset + written);
            }
            int take = Math.min(length, segmentSize - pendingLength);
            System.arraycopy(in, offset, pending, pendingLength, take);
            pendingLength += take;
            offset += take;
            length -= take;
        }
        return written;
    }

    private int sealPending(boolean last, byte[] dst, int dstOffset) {
        initCipher(segmentIndex, last);
        int n;
        try {
            n = cipher.doFinal(pending, 0, pendingLength, dst, dstOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        pendingLength = 0;
        segmentIndex++;
        return n;
    }

    private int currentSegmentLength() {
        return segmentIndex < lastIndex ? segmentSize : (int) (declaredLength - lastIndex * segmentSize);
    }

    private void beginSegment() {
        initCipher(segmentIndex, segmentIndex == lastIndex);
        segmentStarted = true;
        segmentFilled = 0;
    }

    /** Seals a segment begun by {@link #beginSegment} whose plaintext is all in {@code in}, in one call. */
    private int sealWholeSegment(byte[] in, int offset, int length, byte[] dst, int dstOffset) {
        int n;
        try {
            n = cipher.doFinal(in, offset, length, dst, dstOffset);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer smaller than updateOutputBound", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        segmentStarted = false;
        segmentIndex++;
        return n;
    }

    private int finishSegment(byte[] dst, int dstOffset) {
        int n;
        try {
            n = cipher.doFinal(dst, dstOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        segmentStarted = false;
        segmentIndex++;
        return n;
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

    private int writeHeaderOnce(byte[] dst, int dstOffset) {
        if (headerWritten) {
            return 0;
        }
        byte[] h = header.toBytes();
        System.arraycopy(h, 0, dst, dstOffset, h.length);
        headerWritten = true;
        return h.length;
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

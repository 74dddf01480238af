package dev.coffer.crypto.stream;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decrypts a whole object stream read sequentially, when its length is not known in advance (a pipe,
 * a remote body). Pushes plaintext only after each segment's tag has verified; a stream that ends
 * early or goes on past its last segment is refused. Memory is bounded by two segments.
 *
 * <p>For stored objects, whose size is known, {@link ObjectStreamReader} also reads ranges.
 * Not thread-safe; one instance per stream.
 */
public final class ObjectStreamDecryptor implements AutoCloseable {
    /** Associated data is bound through the content key, so segments carry none of their own. */
    private static final byte[] NO_SEGMENT_AAD = new byte[0];

    private final SecretBytes dataKey;
    private final byte[] associatedData;
    private final AesGcm gcm = new AesGcm();
    private final byte[] headerBuffer = new byte[ObjectStreamV1.HEADER_SIZE_BYTES];
    private int headerFilled;

    private ObjectStreamHeader header;
    private AesKey contentKey;
    private byte[] segment;
    private int segmentFilled;
    private byte[] plaintext;
    private long segmentIndex;
    private boolean finished;
    /** Set when an update fails: a refused stream stays refused whatever the caller does next. */
    private boolean failed;

    public ObjectStreamDecryptor(SecretBytes dataKey, byte[] associatedData) {
        this.dataKey = Objects.requireNonNull(dataKey, "dataKey");
        this.associatedData = associatedData.clone();
    }

    /**
     * Feeds the next ciphertext bytes; pushes the plaintext of every segment known not to be the last.
     * After this throws, the decryptor refuses every further call: otherwise a caller that ignored
     * the rejection of an extended stream could still finish() it and receive the refused segment.
     */
    public void update(byte[] ciphertext, int offset, int length, ByteSink sink) throws IOException {
        Objects.checkFromIndexSize(offset, length, ciphertext.length);
        checkUsable();
        try {
            feed(ciphertext, offset, length, sink);
        } catch (IOException | RuntimeException e) {
            failed = true;
            close();
            throw e;
        }
    }

    private void feed(byte[] ciphertext, int offset, int length, ByteSink sink) throws IOException {
        if (header == null) {
            int take = Math.min(length, headerBuffer.length - headerFilled);
            System.arraycopy(ciphertext, offset, headerBuffer, headerFilled, take);
            headerFilled += take;
            offset += take;
            length -= take;
            if (headerFilled < headerBuffer.length) {
                return;
            }
            startStream();
        }
        while (length > 0) {
            if (segmentFilled == segment.length) {
                // A byte follows a full segment, so that segment was not the last one.
                openSegment(false, sink);
            }
            int take = Math.min(length, segment.length - segmentFilled);
            System.arraycopy(ciphertext, offset, segment, segmentFilled, take);
            segmentFilled += take;
            offset += take;
            length -= take;
        }
    }

    /** Ends the input: verifies and pushes the last segment, or refuses a truncated stream. */
    public void finish(ByteSink sink) throws IOException {
        checkUsable();
        finished = true;
        try {
            if (header == null) {
                throw CiphertextRejectedException.truncatedOrExtended("stream ends inside its header");
            }
            if (segmentFilled < AesGcm.TAG_SIZE_BYTES) {
                throw CiphertextRejectedException.truncatedOrExtended("stream ends without a complete last segment");
            }
            if (segmentFilled == AesGcm.TAG_SIZE_BYTES && segmentIndex > 0) {
                throw CiphertextRejectedException.truncatedOrExtended("empty segment after the first");
            }
            openSegment(true, sink);
        } finally {
            close();
        }
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("stream was already refused; it cannot be continued");
        }
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
    }

    private void startStream() throws CiphertextRejectedException {
        header = ObjectStreamHeader.parse(headerBuffer, 0);
        contentKey = ObjectStreamV1.deriveContentKey(dataKey, header, associatedData);
        segment = new byte[header.segmentSizeBytes() + AesGcm.TAG_SIZE_BYTES];
        plaintext = new byte[header.segmentSizeBytes()];
    }

    private void openSegment(boolean last, ByteSink sink) throws IOException {
        if (segmentIndex >= ObjectStreamV1.MAX_SEGMENTS) {
            throw CiphertextRejectedException.truncatedOrExtended("more than " + ObjectStreamV1.MAX_SEGMENTS + " segments");
        }
        byte[] nonce = ObjectStreamV1.segmentNonce(header.noncePrefix(), segmentIndex, last);
        int n = gcm.open(contentKey, nonce, NO_SEGMENT_AAD, segment, 0, segmentFilled, plaintext, 0);
        sink.write(plaintext, 0, n);
        segmentFilled = 0;
        segmentIndex++;
    }

    @Override
    public void close() {
        if (contentKey != null) {
            contentKey.destroy();
        }
        if (plaintext != null) {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}

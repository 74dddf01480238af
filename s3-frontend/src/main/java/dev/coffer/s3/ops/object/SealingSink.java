package dev.coffer.s3.ops.object;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.sse.EncryptingWriter;
import dev.coffer.s3.sse.ObjectKeys;
import java.security.SecureRandom;

/**
 * Where the plaintext of a new object or part goes: straight to the store's writer, or sealed into
 * an object stream on the way when it is encrypted. One per object or part; close it (it holds the
 * stream's content key).
 */
public final class SealingSink implements BodyIngest.Sink, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectWriter writer;
    private final EncryptingWriter encrypting;

    private SealingSink(ObjectWriter writer, EncryptingWriter encrypting) {
        this.writer = writer;
        this.encrypting = encrypting;
    }

    /**
     * @param dataKey the object's data key, or null for a plain object
     * @param partNumber the part (0 for an object written whole), bound into the stream
     * @param length the exact plaintext length that will follow
     */
    public static SealingSink of(ObjectWriter writer, SecretBytes dataKey, ObjectKeys keys, String bucket, String key,
                                 int partNumber, long length) {
        return new SealingSink(writer, dataKey == null ? null : new EncryptingWriter(writer, dataKey,
                ObjectKeys.associatedData(bucket, key, partNumber), length, keys.segmentSize(), RANDOM));
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (encrypting == null) {
            writer.write(bytes, offset, length);
        } else {
            encrypting.write(bytes, offset, length);
        }
    }

    /** Ends the object: seals the last segment (a no-op for plain objects). */
    public void finish() {
        if (encrypting != null) {
            encrypting.finish();
        }
    }

    @Override
    public void close() {
        if (encrypting != null) {
            encrypting.close();
        }
    }
}

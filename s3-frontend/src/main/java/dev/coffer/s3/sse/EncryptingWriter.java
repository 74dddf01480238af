package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.s3.engine.ObjectWriter;
import java.security.SecureRandom;

/**
 * Encrypts plaintext into one object stream (format v1) on its way to the store's writer: each
 * chunk is sealed as it arrives, with the length declared up front, so memory stays one buffer.
 * Not thread-safe; one per object or part. Close destroys the stream's content key.
 */
public final class EncryptingWriter implements AutoCloseable {
    private final ObjectWriter target;
    private final ObjectStreamEncryptor encryptor;
    private byte[] out = new byte[0];

    /**
     * @param plaintextLength the exact number of plaintext bytes that will follow
     */
    public EncryptingWriter(ObjectWriter target, SecretBytes dataKey, byte[] associatedData, long plaintextLength,
                            int segmentSize, SecureRandom random) {
        this.target = target;
        this.encryptor = ObjectStreamEncryptor.start(new ObjectStreamParameters(segmentSize), dataKey, associatedData,
                plaintextLength, random);
    }

    public void write(byte[] plaintext, int offset, int length) {
        int n = encryptor.update(plaintext, offset, length, buffer(encryptor.updateOutputBound(length)), 0);
        target.write(out, 0, n);
    }

    /** Seals the last segment; fails if fewer bytes came than were declared. */
    public void finish() {
        int n = encryptor.finish(buffer(encryptor.finishOutputBound()), 0);
        target.write(out, 0, n);
    }

    private byte[] buffer(int needed) {
        if (out.length < needed) {
            out = new byte[needed];
        }
        return out;
    }

    @Override
    public void close() {
        encryptor.close();
    }
}

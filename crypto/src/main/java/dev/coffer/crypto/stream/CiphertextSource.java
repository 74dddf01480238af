package dev.coffer.crypto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/** Positional reads of a stored ciphertext, so a range read touches only the segments it needs. */
@FunctionalInterface
public interface CiphertextSource {
    /** Reads exactly {@code length} bytes at {@code position}, or throws {@link EOFException}. */
    void readFully(long position, byte[] destination, int offset, int length) throws IOException;

    /**
     * The whole ciphertext as one array when it already is one (an in-memory source), so readers
     * decrypt from it without copying; null for sources that must be read (files).
     */
    default byte[] inMemory() {
        return null;
    }

    /** A source over an in-memory ciphertext. */
    static CiphertextSource of(byte[] ciphertext) {
        return new CiphertextSource() {
            @Override
            public void readFully(long position, byte[] destination, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, destination.length);
                if (position < 0 || position + length > ciphertext.length) {
                    throw new EOFException("read past the end of the ciphertext");
                }
                System.arraycopy(ciphertext, (int) position, destination, offset, length);
            }

            @Override
            public byte[] inMemory() {
                return ciphertext;
            }
        };
    }

    /** A source over a file channel; positional reads leave the channel's position alone. */
    static CiphertextSource of(FileChannel channel) {
        return of(channel, 0, Long.MAX_VALUE);
    }

    /**
     * A source over the {@code length} bytes of a file channel from {@code start} (a ciphertext
     * stored inside a larger file); positional reads leave the channel's position alone, and a read
     * beyond the window, or beyond the end of the file, is an {@link EOFException}.
     */
    static CiphertextSource of(FileChannel channel, long start, long length) {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("start and length must not be negative");
        }
        return (position, destination, offset, count) -> {
            if (position < 0 || position > length || count > length - position) {
                throw new EOFException("read past the end of the ciphertext");
            }
            ByteBuffer buffer = ByteBuffer.wrap(destination, offset, count);
            long at = start + position;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new EOFException("read past the end of the ciphertext file");
                }
                at += n;
            }
        };
    }
}

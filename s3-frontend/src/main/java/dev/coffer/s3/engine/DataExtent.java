package dev.coffer.s3.engine;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A run of an object's bytes, as stored: inline (small data, already in memory) or a range of a
 * file (sendable zero-copy). An object has one extent per part, or one if written by a single PUT.
 */
public sealed interface DataExtent {
    long length();

    /** Bytes kept in the metadata store. */
    record Inline(byte[] bytes) implements DataExtent {
        public Inline {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The bytes without a copy, read-only. */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * A range of a data file. The channel belongs to the {@link ObjectHandle} that returned it and
     * is closed with it; keep the handle open until a transfer from the channel is done.
     */
    record FileExtent(FileChannel channel, long position, long length) implements DataExtent {
        public FileExtent {
            Objects.requireNonNull(channel, "channel");
            if (position < 0 || length < 0) {
                throw new IllegalArgumentException("position and length must not be negative");
            }
        }
    }
}

package dev.coffer.perf.crypto;

import dev.coffer.crypto.ByteSink;

/**
 * A sink that copies into one preallocated array, the way a raw {@code doFinal} writes into its output
 * array: the format pays for the copy out of its working buffer, and nothing else.
 */
final class ArraySink implements ByteSink {
    private final byte[] target;
    private int position;

    ArraySink(byte[] target) {
        this.target = target;
    }

    /** The target array, for writers that fill it themselves. */
    byte[] array() {
        return target;
    }

    ArraySink rewind() {
        position = 0;
        return this;
    }

    int position() {
        return position;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        System.arraycopy(bytes, offset, target, position, length);
        position += length;
    }
}

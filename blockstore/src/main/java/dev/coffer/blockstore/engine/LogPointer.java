package dev.coffer.blockstore.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The value the {@code blocks} column family stores for a block whose record is in the block log
 * (volume-engine-v2.md): {@code 'L'} | segment id u32 | offset u32 | record length u32, 13 bytes.
 * No block record of format v1 has this length (those are empty, or at least 512 bytes), so the
 * two kinds of value tell themselves apart by length and first byte.
 */
final class LogPointer {
    static final int SIZE_BYTES = 13;
    private static final byte KIND = 'L';
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private LogPointer() {
    }

    static void write(byte[] value, long position, int recordLength) {
        value[0] = KIND;
        INT.set(value, 1, BlockLog.segmentOf(position));
        INT.set(value, 5, (int) BlockLog.offsetOf(position));
        INT.set(value, 9, recordLength);
    }

    /** Whether a value of {@code size} bytes starting at {@code value[at]} is a pointer. */
    static boolean is(byte[] value, int at, int size) {
        return size == SIZE_BYTES && value[at] == KIND;
    }

    /** The record's position ({@link BlockLog#position}) of the pointer at {@code value[at]}. */
    static long position(byte[] value, int at) {
        return BlockLog.position((int) INT.get(value, at + 1), Integer.toUnsignedLong((int) INT.get(value, at + 5)));
    }

    static int recordLength(byte[] value, int at) {
        return (int) INT.get(value, at + 9);
    }
}

package dev.coffer.blockstore.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Keys of the {@code blocks} column family: space id, block index, epoch, each a big-endian uint64
 * (volume-engine-v1.md). Big-endian makes RocksDB's bytewise order the order (space, index, epoch), so
 * a space is one contiguous key range and a block's versions sit side by side, oldest first.
 */
final class BlockKeys {
    static final int SIZE_BYTES = 24;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BlockKeys() {
    }

    static void write(byte[] key, long spaceId, long blockIndex, long epoch) {
        LONG.set(key, 0, spaceId);
        LONG.set(key, 8, blockIndex);
        LONG.set(key, 16, epoch);
    }

    static byte[] of(long spaceId, long blockIndex, long epoch) {
        byte[] key = new byte[SIZE_BYTES];
        write(key, spaceId, blockIndex, epoch);
        return key;
    }

    static long spaceId(byte[] key) {
        return (long) LONG.get(key, 0);
    }

    static long blockIndex(byte[] key) {
        return (long) LONG.get(key, 8);
    }

    static long epoch(byte[] key) {
        return (long) LONG.get(key, 16);
    }

    /** The first key of a space's range. */
    static byte[] spaceStart(long spaceId) {
        return of(spaceId, 0, 0);
    }

    /** The first key after a space's range (exclusive end for deleteRange). */
    static byte[] spaceEnd(long spaceId) {
        return of(spaceId + 1, 0, 0);
    }
}

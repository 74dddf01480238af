package dev.coffer.blockstore.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One block record in the block log (volume-engine-v2.md): a 36-byte header naming the block key
 * it was written for, then the stored value (a block-seal-v1 record, or plaintext).
 *
 * <pre>
 * magic "CBL1" (4) | space u64 | block index u64 | epoch u64 | value length u32 | CRC32C u32 | value
 * </pre>
 *
 * The CRC32C covers bytes [0, 32) and the value. A reader checks the magic, that the key is the
 * one the pointer was found under, the length, and the CRC: a record that was never (or only
 * partly) written, one moved from another place, or a damaged plaintext block is refused, never
 * returned.
 */
final class LogRecord {
    static final int HEADER_BYTES = 36;
    private static final int MAGIC = 0x43424C31; // "CBL1"
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private LogRecord() {
    }

    /**
     * Writes the header of a record whose value is already at {@code buffer[at + HEADER_BYTES, +valueLength)}
     * for the block key in {@code key} (a {@link BlockKeys} key).
     */
    static void seal(byte[] buffer, int at, byte[] key, int valueLength) {
        INT.set(buffer, at, MAGIC);
        System.arraycopy(key, 0, buffer, at + 4, BlockKeys.SIZE_BYTES);
        INT.set(buffer, at + 28, valueLength);
        INT.set(buffer, at + 32, crc(buffer, at, valueLength));
    }

    /**
     * Whether {@code buffer[at, +HEADER_BYTES + valueLength)} is an intact record of {@code valueLength}
     * bytes written for {@code key}.
     */
    static boolean isIntact(byte[] buffer, int at, byte[] key, int valueLength) {
        if ((int) INT.get(buffer, at) != MAGIC || (int) INT.get(buffer, at + 28) != valueLength) {
            return false;
        }
        for (int i = 0; i < BlockKeys.SIZE_BYTES; i += 8) {
            if ((long) LONG.get(buffer, at + 4 + i) != (long) LONG.get(key, i)) {
                return false;
            }
        }
        return (int) INT.get(buffer, at + 32) == crc(buffer, at, valueLength);
    }

    private static int crc(byte[] buffer, int at, int valueLength) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, at, 32);
        crc.update(buffer, at + HEADER_BYTES, valueLength);
        return (int) crc.getValue();
    }
}

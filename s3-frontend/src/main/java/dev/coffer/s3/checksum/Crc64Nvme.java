package dev.coffer.s3.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, S3's CRC64NVME: reflected, polynomial 0xad93d23594c93659 (0x9a6c9329ac4bc9b5
 * reflected), initial value and final XOR all ones; check value 0xae8b14860a799888 for "123456789".
 *
 * <p>The JDK has no CRC-64, and a bit-at-a-time CRC runs at tens of MB/s, far below the disk and
 * cipher on the PUT path. Slicing-by-16 (sixteen 256-entry tables, 32 KiB, two 8-byte words per step)
 * measured about 1.9 GB/s on one core of the development machine, against 1.6 GB/s for slicing-by-8;
 * the JDK's intrinsic CRC32 and CRC32C stay far faster, so clients that pick those cost less.
 */
final class Crc64Nvme implements Checksum {
    static final long REFLECTED_POLYNOMIAL = 0x9a6c9329ac4bc9b5L;
    private static final int SLICES = 16;
    private static final long[] TABLES = tables();
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The running register, before the final XOR. */
    private long crc = -1L;

    @Override
    public void update(int b) {
        crc = TABLES[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long c = crc;
        int end = off + len;
        for (; off + 16 <= end; off += 16) {
            long x = c ^ (long) LITTLE_ENDIAN_LONG.get(b, off);
            long y = (long) LITTLE_ENDIAN_LONG.get(b, off + 8);
            c = TABLES[15 * 256 + (int) (x & 0xff)]
                    ^ TABLES[14 * 256 + (int) ((x >>> 8) & 0xff)]
                    ^ TABLES[13 * 256 + (int) ((x >>> 16) & 0xff)]
                    ^ TABLES[12 * 256 + (int) ((x >>> 24) & 0xff)]
                    ^ TABLES[11 * 256 + (int) ((x >>> 32) & 0xff)]
                    ^ TABLES[10 * 256 + (int) ((x >>> 40) & 0xff)]
                    ^ TABLES[9 * 256 + (int) ((x >>> 48) & 0xff)]
                    ^ TABLES[8 * 256 + (int) (x >>> 56)]
                    ^ TABLES[7 * 256 + (int) (y & 0xff)]
                    ^ TABLES[6 * 256 + (int) ((y >>> 8) & 0xff)]
                    ^ TABLES[5 * 256 + (int) ((y >>> 16) & 0xff)]
                    ^ TABLES[4 * 256 + (int) ((y >>> 24) & 0xff)]
                    ^ TABLES[3 * 256 + (int) ((y >>> 32) & 0xff)]
                    ^ TABLES[2 * 256 + (int) ((y >>> 40) & 0xff)]
                    ^ TABLES[256 + (int) ((y >>> 48) & 0xff)]
                    ^ TABLES[(int) (y >>> 56)];
        }
        for (; off < end; off++) {
            c = TABLES[(int) ((c ^ b[off]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }

    /**
     * Table k (entries k*256 .. k*256+255) holds the CRC register after a byte followed by k zero
     * bytes, so sixteen tables advance the register by sixteen bytes at once.
     */
    private static long[] tables() {
        long[] t = new long[SLICES * 256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ REFLECTED_POLYNOMIAL : c >>> 1;
            }
            t[i] = c;
        }
        for (int k = 1; k < SLICES; k++) {
            for (int i = 0; i < 256; i++) {
                long previous = t[(k - 1) * 256 + i];
                t[k * 256 + i] = (previous >>> 8) ^ t[(int) (previous & 0xff)];
            }
        }
        return t;
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the stored blocks of an encrypted volume, made directly on disk while the store is
 * closed: in the block log's segment files (the records) and in RocksDB (the pointers to them, and
 * v1 inline values). Every altered, swapped, moved or resized record reads as EIO, never as wrong
 * data. Both volumes use the same data key, so it is the binding id and block index that catch the
 * moves; where the attacker also rewrites a record's header and CRC32C (a CRC is no MAC), the log
 * takes the record and the block seal must refuse it.
 */
class VolumeTamperTest {
    private static final int BLOCK = 4096;
    private static final byte[] KEY = TestCodecs.dataKey(7);
    /** Space ids in creation order: vol-1 is space 1, vol-2 space 2; the first epoch is 1. */
    private static final long VOL1 = 1;
    private static final long VOL2 = 2;
    private static final long EPOCH = 1;
    /** Where the block-seal-v1 record starts in a log record, and its ciphertext in that. */
    private static final int SEALED = RawBlocks.HEADER;
    private static final int CIPHERTEXT = SEALED + 29;

    @TempDir
    Path dir;

    private final byte[] data = pattern(6 * BLOCK, 1);

    @BeforeEach
    void writeTwoEncryptedVolumes() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.of("vol-1"));
            store.createVolume("vol-2", 8L * BLOCK, BLOCK, Optional.of("vol-2"));
            try (VolumeDevice one = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK));
                 VolumeDevice two = store.open("vol-2", TestCodecs.sealed(KEY, "vol-2", BLOCK))) {
                one.write(0, data, 0, data.length, false);
                two.write(0, pattern(BLOCK, 2), 0, BLOCK, false);
            }
        }
    }

    @Test
    void aFlippedByteInASealedBlockReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.flip(VOL1, 0, EPOCH, CIPHERTEXT + 100);
        }
        assertOnlyBlocksFail(0);
    }

    /** The CRC32C is fixed up after each flip, so it is the block seal that refuses: version, salt, nonce, ciphertext, tag. */
    @Test
    void aFlippedByteAnywhereInTheSealedRecordReadsAsEioEvenWithAFittingCrc() throws Exception {
        int[] offsets = {SEALED, SEALED + 5, SEALED + 20, CIPHERTEXT + BLOCK - 1, SEALED + BLOCK + 44};
        try (RawBlocks raw = new RawBlocks(dir)) {
            for (int i = 0; i < offsets.length; i++) {
                byte[] record = raw.record(VOL1, i, EPOCH);
                record[offsets[i]] ^= 0x40;
                RawBlocks.reheader(record, VOL1, i, EPOCH);
                raw.writeRecord(VOL1, i, EPOCH, 0, record);
            }
        }
        assertOnlyBlocksFail(0, 1, 2, 3, 4);
    }

    @Test
    void twoSwappedPointersReadAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] one = raw.get(VOL1, 1, EPOCH);
            byte[] two = raw.get(VOL1, 2, EPOCH);
            raw.put(VOL1, 1, EPOCH, two);
            raw.put(VOL1, 2, EPOCH, one);
        }
        assertOnlyBlocksFail(1, 2);
    }

    @Test
    void twoSwappedRecordsInTheSegmentReadAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] one = raw.record(VOL1, 1, EPOCH);
            byte[] two = raw.record(VOL1, 2, EPOCH);
            raw.writeRecord(VOL1, 1, EPOCH, 0, two);
            raw.writeRecord(VOL1, 2, EPOCH, 0, one);
        }
        assertOnlyBlocksFail(1, 2);
    }

    @Test
    void twoSwappedRecordsWithRewrittenHeadersReadAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] one = raw.record(VOL1, 1, EPOCH);
            byte[] two = raw.record(VOL1, 2, EPOCH);
            RawBlocks.reheader(two, VOL1, 1, EPOCH);
            RawBlocks.reheader(one, VOL1, 2, EPOCH);
            raw.writeRecord(VOL1, 1, EPOCH, 0, two);
            raw.writeRecord(VOL1, 2, EPOCH, 0, one);
            assertThat(raw.recordValue(VOL1, 1, EPOCH)).as("the log takes the rewritten record").hasSize(BLOCK + 45);
        }
        assertOnlyBlocksFail(1, 2);
    }

    @Test
    void aPointerMovedFromAnotherLineageReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.put(VOL1, 3, EPOCH, raw.get(VOL2, 0, EPOCH));
            raw.put(VOL1, 7, EPOCH, raw.get(VOL2, 0, EPOCH));
        }
        assertOnlyBlocksFail(3, 7);
    }

    @Test
    void aRecordMovedFromAnotherLineageReadsAsEioWithOrWithoutARewrittenHeader() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] foreign = raw.record(VOL2, 0, EPOCH);
            raw.writeRecord(VOL1, 3, EPOCH, 0, foreign);
            byte[] rewritten = foreign.clone();
            RawBlocks.reheader(rewritten, VOL1, 0, EPOCH);
            raw.writeRecord(VOL1, 0, EPOCH, 0, rewritten);
        }
        assertOnlyBlocksFail(0, 3);
    }

    @Test
    void aTruncatedExtendedOrRekindedPointerReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] value = raw.get(VOL1, 4, EPOCH);
            raw.put(VOL1, 4, EPOCH, Arrays.copyOf(value, value.length - 1));
            raw.put(VOL1, 5, EPOCH, Arrays.copyOf(raw.get(VOL1, 5, EPOCH), value.length + 1));
            byte[] rekinded = raw.get(VOL1, 1, EPOCH);
            rekinded[0] = 2;
            raw.put(VOL1, 1, EPOCH, rekinded);
        }
        assertOnlyBlocksFail(1, 4, 5);
    }

    /** Inline values (format v1, still read after an upgrade) resist the same attacks as before the block log. */
    @Test
    void aTruncatedExtendedReversionedOrFlippedInlineRecordReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[][] inline = new byte[6][];
            for (int i = 0; i < 6; i++) {
                inline[i] = RawBlocks.sealedInline(KEY, "vol-1", BLOCK, i, Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK));
                raw.put(VOL1, i, EPOCH, inline[i]);
            }
            raw.put(VOL1, 4, EPOCH, Arrays.copyOf(inline[4], inline[4].length - 1));
            raw.put(VOL1, 5, EPOCH, Arrays.copyOf(inline[5], inline[5].length + 1));
            inline[1][0] = 2;
            raw.put(VOL1, 1, EPOCH, inline[1]);
            inline[2][100] ^= 1;
            raw.put(VOL1, 2, EPOCH, inline[2]);
            raw.put(VOL1, 3, EPOCH, RawBlocks.sealedInline(KEY, "vol-2", BLOCK, 3, new byte[BLOCK]));
        }
        assertOnlyBlocksFail(1, 2, 3, 4, 5);
    }

    private void assertOnlyBlocksFail(int... failing) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir);
             VolumeDevice device = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK))) {
            for (int index = 0; index < 8; index++) {
                int i = index;
                if (Arrays.stream(failing).anyMatch(f -> f == i)) {
                    byte[] out = TestCodecs.filled(BLOCK, 0x55);
                    assertErrno(() -> device.read((long) i * BLOCK, out, 0, BLOCK), Errno.EIO);
                    assertThat(out).containsOnly(0);
                    assertErrno(() -> device.read((long) i * BLOCK + 10, new byte[10], 0, 10), Errno.EIO);
                } else {
                    byte[] expected = i < 6 ? Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK) : new byte[BLOCK];
                    assertThat(read(device, (long) i * BLOCK, BLOCK)).isEqualTo(expected);
                }
            }
            byte[] whole = TestCodecs.filled(8 * BLOCK, 0x55);
            assertErrno(() -> device.read(0, whole, 0, whole.length), Errno.EIO);
            assertThat(whole).containsOnly(0);
        }
    }
}

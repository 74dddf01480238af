package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damage to the block log (volume-engine-v2.md), made on disk while the store is closed: a record's
 * header, a plaintext record's bytes (only its CRC32C protects it), records and pointers swapped,
 * a truncated or deleted segment, pointers with garbage fields, and damage the cleaner then moves.
 * Every damaged block reads as EIO with no bytes returned, never as wrong data, and every other block
 * reads as written.
 */
class BlockLogTamperTest {
    private static final int BLOCK = 4096;
    private static final int WRITTEN = 6;
    private static final long SIZE = 8L * BLOCK;
    private static final byte[] KEY = TestCodecs.dataKey(17);
    /** vol-s (sealed) is space 1, written in the first run (segment 1); vol-p (plaintext) is space 2, written in the second (segment 2). */
    private static final long SEALED = 1;
    private static final long PLAIN = 2;
    private static final long EPOCH = 1;

    @TempDir
    Path dir;

    private final byte[] sealedData = pattern(WRITTEN * BLOCK, 1);
    private final byte[] plainData = pattern(WRITTEN * BLOCK, 2);

    @BeforeEach
    void writeASealedAndAPlaintextVolumeInTwoRuns() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-s", SIZE, BLOCK, Optional.of("vol-s"));
            store.createVolume("vol-p", SIZE, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-s", sealedCodec())) {
                device.write(0, sealedData, 0, sealedData.length, false);
            }
        }
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-p", BlockCodec.plaintext())) {
            device.write(0, plainData, 0, plainData.length, false);
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.locate(SEALED, 0, EPOCH).segment()).isNotEqualTo(raw.locate(PLAIN, 0, EPOCH).segment());
        }
    }

    private static BlockCodec sealedCodec() {
        return TestCodecs.sealed(KEY, "vol-s", BLOCK);
    }

    private static long space(boolean sealed) {
        return sealed ? SEALED : PLAIN;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDamagedRecordHeaderReadsAsEio(boolean sealed) throws Exception {
        // magic, space, block index, epoch, value length, CRC32C: one per block
        int[] offsets = {0, 4 + 7, 12 + 7, 20 + 7, 28 + 3, 32};
        try (RawBlocks raw = new RawBlocks(dir)) {
            for (int i = 0; i < offsets.length; i++) {
                raw.flip(space(sealed), i, EPOCH, offsets[i]);
            }
        }
        assertOnlyBlocksFail(sealed, 0, 1, 2, 3, 4, 5);
        assertOnlyBlocksFail(!sealed);
    }

    @Test
    void aFlippedByteOfAPlaintextBlockReadsAsEioNotAsWrongData() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.flip(PLAIN, 2, EPOCH, RawBlocks.HEADER);
            raw.flip(PLAIN, 4, EPOCH, RawBlocks.HEADER + BLOCK - 1);
        }
        assertOnlyBlocksFail(false, 2, 4);
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-p", BlockCodec.plaintext())) {
            // A part of the block away from the flipped byte: the record as a whole is refused.
            byte[] part = TestCodecs.filled(200, 0x55);
            assertErrno(() -> device.read(2L * BLOCK + 1000, part, 0, part.length), Errno.EIO);
            assertThat(part).containsOnly(0);
            // A partial write reads the block first: it fails too, and leaves the damage for reads to report.
            assertErrno(() -> device.write(4L * BLOCK + 10, new byte[10], 0, 10, false), Errno.EIO);
            assertErrno(() -> device.read(4L * BLOCK, new byte[BLOCK], 0, BLOCK), Errno.EIO);
            // A whole-block write replaces the damaged block.
            device.write(4L * BLOCK, pattern(BLOCK, 9), 0, BLOCK, false);
            assertThat(read(device, 4L * BLOCK, BLOCK)).isEqualTo(pattern(BLOCK, 9));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void twoSwappedRecordsOrPointersReadAsEio(boolean sealed) throws Exception {
        long space = space(sealed);
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] one = raw.record(space, 1, EPOCH);
            byte[] two = raw.record(space, 2, EPOCH);
            raw.writeRecord(space, 1, EPOCH, 0, two);
            raw.writeRecord(space, 2, EPOCH, 0, one);
            byte[] four = raw.get(space, 4, EPOCH);
            raw.put(space, 4, EPOCH, raw.get(space, 5, EPOCH));
            raw.put(space, 5, EPOCH, four);
        }
        assertOnlyBlocksFail(sealed, 1, 2, 4, 5);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTruncatedSegmentFailsTheBlocksPastItsEnd(boolean sealed) throws Exception {
        long space = space(sealed);
        RawBlocks.Location third;
        try (RawBlocks raw = new RawBlocks(dir)) {
            third = raw.locate(space, 3, EPOCH);
        }
        RawBlocks.truncateSegment(dir, third.segment(), third.offset() + 100);
        assertOnlyBlocksFail(sealed, 3, 4, 5);
        assertOnlyBlocksFail(!sealed);
    }

    @Test
    void aDeletedSegmentFailsItsBlocksAndTheStoreCarriesOn() throws Exception {
        int segment;
        try (RawBlocks raw = new RawBlocks(dir)) {
            segment = raw.locate(SEALED, 0, EPOCH).segment();
        }
        Files.delete(RawBlocks.segmentFile(dir, segment));
        assertOnlyBlocksFail(true, 0, 1, 2, 3, 4, 5);
        assertOnlyBlocksFail(false);
        try (VolumeStore store = VolumeStore.open(dir)) {
            try (VolumeDevice device = store.open("vol-s", sealedCodec())) {
                device.write(0, pattern(BLOCK, 5), 0, BLOCK, true);
                assertThat(read(device, 0, BLOCK)).isEqualTo(pattern(BLOCK, 5));
                assertErrno(() -> device.read(BLOCK, new byte[BLOCK], 0, BLOCK), Errno.EIO);
            }
            store.cleanLog();
            store.createSnapshot("vol-s", "snap-1");
            store.deleteSnapshot("snap-1");
            store.cleanLog();
        }
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-s", sealedCodec())) {
            assertThat(read(device, 0, BLOCK)).isEqualTo(pattern(BLOCK, 5));
            assertErrno(() -> device.read(5L * BLOCK, new byte[BLOCK], 0, BLOCK), Errno.EIO);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPointerWithGarbageFieldsReadsAsEio(boolean sealed) throws Exception {
        long space = space(sealed);
        try (RawBlocks raw = new RawBlocks(dir)) {
            RawBlocks.Location at = raw.locate(space, 0, EPOCH);
            int length = at.length();
            raw.put(space, 0, EPOCH, RawBlocks.pointer(at.segment(), 0xFFFF_FFF0L, length));
            raw.put(space, 1, EPOCH, RawBlocks.pointer(at.segment(), at.offset(), 5));
            raw.put(space, 2, EPOCH, RawBlocks.pointer(at.segment(), raw.locate(space, 2, EPOCH).offset(), length + 1));
            raw.put(space, 3, EPOCH, RawBlocks.pointer(999, raw.locate(space, 3, EPOCH).offset(), length));
            raw.put(space, 4, EPOCH, RawBlocks.pointer(at.segment(), raw.locate(space, 4, EPOCH).offset() + 1, length));
            raw.put(space, 5, EPOCH, RawBlocks.pointer(-1, 0xFFFF_FFFFL, -1));
            raw.put(space, 6, EPOCH, RawBlocks.pointer(at.segment(), 0, 0));
            raw.put(space, 7, EPOCH, RawBlocks.pointer(0, 0, Integer.MAX_VALUE));
        }
        assertOnlyBlocksFail(sealed, 0, 1, 2, 3, 4, 5, 6, 7);
        assertOnlyBlocksFail(!sealed);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.cleanLog();
        }
        assertOnlyBlocksFail(sealed, 0, 1, 2, 3, 4, 5, 6, 7);
        assertOnlyBlocksFail(!sealed);
    }

    /** One pointer of a many-block read names a record of absurd length: EIO, and nothing is read or allocated for it. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aManyBlockReadRefusesAPointerOfAbsurdLengthBeforeReading(boolean sealed) throws Exception {
        long space = space(sealed);
        try (RawBlocks raw = new RawBlocks(dir)) {
            RawBlocks.Location at = raw.locate(space, 3, EPOCH);
            raw.put(space, 3, EPOCH, RawBlocks.pointer(at.segment(), at.offset(), Integer.MAX_VALUE));
        }
        assertOnlyBlocksFail(sealed, 3);
    }

    /**
     * A segment that is mostly dead: block 0, then blocks 1-7 written three times, in one run. The
     * cleaner moves the live records verbatim, so a damaged one is still refused after the move and
     * the others read as before.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCleanerMovesADamagedRecordAsItIsAndItStaysRefused(boolean sealed) throws Exception {
        Path store = dir.resolve("mostly-dead");
        byte[] latest = mostlyDeadSegment(store, sealed);
        int segment;
        try (RawBlocks raw = new RawBlocks(store)) {
            segment = raw.locate(1, 0, EPOCH).segment();
            assertThat(raw.locate(1, 7, EPOCH).segment()).isEqualTo(segment);
            raw.flip(1, 0, EPOCH, RawBlocks.HEADER + 7);
            raw.flip(1, 5, EPOCH, 12 + 7);
        }
        try (VolumeStore opened = VolumeStore.open(store)) {
            opened.cleanLog();
        }
        assertThat(RawBlocks.segments(store)).as("the mostly dead segment is cleaned").doesNotContainKey(segment);
        try (RawBlocks raw = new RawBlocks(store)) {
            assertThat(raw.locate(1, 0, EPOCH).segment()).as("moved").isNotEqualTo(segment);
        }
        assertOnlyBlocksFail(store, sealed ? "vol-s" : "vol-p", sealed, latest, 0, 5);
    }

    /** A live record the cleaner cannot read (its segment was cut short) keeps its segment, and the other records still move. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theCleanerKeepsASegmentHoldingARecordItCannotRead(boolean sealed) throws Exception {
        Path store = dir.resolve("mostly-dead");
        byte[] latest = mostlyDeadSegment(store, sealed);
        RawBlocks.Location last;
        try (RawBlocks raw = new RawBlocks(store)) {
            last = raw.locate(1, 7, EPOCH);
        }
        RawBlocks.truncateSegment(store, last.segment(), last.offset() + last.length() - 10);
        for (int pass = 0; pass < 2; pass++) {
            try (VolumeStore opened = VolumeStore.open(store)) {
                opened.cleanLog();
            }
            assertThat(RawBlocks.segments(store)).as("the segment with the unreadable record stays").containsKey(last.segment());
            assertOnlyBlocksFail(store, sealed ? "vol-s" : "vol-p", sealed, latest, 7);
        }
        try (RawBlocks raw = new RawBlocks(store)) {
            assertThat(raw.locate(1, 0, EPOCH).segment()).as("the readable records moved").isNotEqualTo(last.segment());
            assertThat(raw.locate(1, 7, EPOCH)).isEqualTo(last);
        }
    }

    /** Writes the mostly dead segment into a new store at {@code store}; returns what the volume (space 1) holds. */
    private static byte[] mostlyDeadSegment(Path store, boolean sealed) throws Exception {
        byte[] latest = new byte[(int) SIZE];
        try (VolumeStore opened = VolumeStore.open(store)) {
            String volume = sealed ? "vol-s" : "vol-p";
            opened.createVolume(volume, SIZE, BLOCK, sealed ? Optional.of("vol-s") : Optional.empty());
            try (VolumeDevice device = opened.open(volume, sealed ? sealedCodec() : BlockCodec.plaintext())) {
                for (int round = 0; round < 3; round++) {
                    byte[] data = pattern((int) SIZE, 100 + round);
                    int from = round == 0 ? 0 : BLOCK;
                    device.write(from, data, from, data.length - from, false);
                    System.arraycopy(data, from, latest, from, data.length - from);
                }
            }
        }
        return latest;
    }

    private void assertOnlyBlocksFail(boolean sealed, int... failing) throws Exception {
        byte[] written = Arrays.copyOf(sealed ? sealedData : plainData, (int) SIZE);
        assertOnlyBlocksFail(dir, sealed ? "vol-s" : "vol-p", sealed, written, failing);
    }

    /** Every block of the volume reads as {@code expected} except {@code failing}, which read as EIO and return no bytes. */
    private static void assertOnlyBlocksFail(Path store, String volume, boolean sealed, byte[] expected, int... failing)
            throws Exception {
        try (VolumeStore opened = VolumeStore.open(store);
             VolumeDevice device = opened.open(volume, sealed ? sealedCodec() : BlockCodec.plaintext())) {
            for (int index = 0; index < SIZE / BLOCK; index++) {
                int i = index;
                if (Arrays.stream(failing).anyMatch(f -> f == i)) {
                    byte[] out = TestCodecs.filled(BLOCK, 0x55);
                    assertErrno(() -> device.read((long) i * BLOCK, out, 0, BLOCK), Errno.EIO);
                    assertThat(out).as("block %d", i).containsOnly(0);
                    byte[] part = TestCodecs.filled(10, 0x55);
                    assertErrno(() -> device.read((long) i * BLOCK + 10, part, 0, 10), Errno.EIO);
                    assertThat(part).containsOnly(0);
                } else {
                    assertThat(read(device, (long) i * BLOCK, BLOCK)).as("block %d of %s", i, volume)
                            .isEqualTo(Arrays.copyOfRange(expected, i * BLOCK, (i + 1) * BLOCK));
                }
            }
            byte[] whole = TestCodecs.filled((int) SIZE, 0x55);
            if (failing.length > 0) {
                assertErrno(() -> device.read(0, whole, 0, whole.length), Errno.EIO);
                assertThat(whole).containsOnly(0);
            } else {
                device.read(0, whole, 0, whole.length);
                assertThat(whole).isEqualTo(expected);
            }
        }
    }
}

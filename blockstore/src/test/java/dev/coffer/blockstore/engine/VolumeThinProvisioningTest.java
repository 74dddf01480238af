package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thin provisioning: only written blocks are stored; trim and write-zeroes drop whole blocks. */
class VolumeThinProvisioningTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void storesOnlyWrittenBlocksAndDropsTrimmedAndZeroedOnes() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 64L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-1", BlockCodec.plaintext())) {
                device.write(0, pattern(10 * BLOCK, 1), 0, 10 * BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(10);

                device.trim(BLOCK, 3L * BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(7);
                assertThat(read(device, BLOCK, 3 * BLOCK)).containsOnly(0);

                // Blocks 5 and 8 are partial at the edges: read-modify-written with zeros, still stored.
                byte[] before = read(device, 0, 10 * BLOCK);
                device.writeZeroes(5L * BLOCK + 100, 3L * BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(5);
                byte[] expected = before.clone();
                Arrays.fill(expected, 5 * BLOCK + 100, 8 * BLOCK + 100, (byte) 0);
                assertThat(read(device, 0, 10 * BLOCK)).isEqualTo(expected);

                // A range inside one block drops nothing.
                device.trim(9L * BLOCK + 10, 20, false);
                assertThat(store.storedBlockCount()).isEqualTo(5);
                assertThat(read(device, 9L * BLOCK + 10, 20)).containsOnly(0);
            }
        }
    }

    @Test
    void largeTrimsAndZeroesWorkOnStoredRecordsNotOnTheLength() throws Exception {
        long size = 4L << 30;
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-big", size, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-big", BlockCodec.plaintext())) {
                for (long at : new long[] {0, 100L << 20, 700L << 20, (1L << 30) - BLOCK, 1L << 30, 3L << 30}) {
                    device.write(at, pattern(BLOCK, (int) (at >>> 12)), 0, BLOCK, false);
                }
                assertThat(store.storedBlockCount()).isEqualTo(6);
                device.trim(0, 1L << 30, false);
                assertThat(store.storedBlockCount()).isEqualTo(2);
                device.writeZeroes(3L << 30, 128L << 20, true);
                assertThat(store.storedBlockCount()).isEqualTo(1);
                device.trim(0, size, false);
                assertThat(store.storedBlockCount()).isZero();
                assertThat(read(device, 1L << 30, BLOCK)).containsOnly(0);
            }
        }
    }

    @Test
    void trimKeepsWhatASnapshotHoldsAndTombstonesAreNotCounted() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 16L * BLOCK, BLOCK, Optional.empty());
            byte[] data = pattern(4 * BLOCK, 2);
            try (VolumeDevice device = store.open("vol-1", BlockCodec.plaintext())) {
                device.write(0, data, 0, data.length, false);
                store.createSnapshot("vol-1", "snap-1");
                device.trim(0, 16L * BLOCK, false);
                assertThat(read(device, 0, 4 * BLOCK)).containsOnly(0);
                assertThat(store.storedBlockCount()).isEqualTo(4);
            }
            store.createVolumeFromSnapshot("vol-2", "snap-1", 16L * BLOCK);
            try (VolumeDevice clone = store.open("vol-2", BlockCodec.plaintext())) {
                assertThat(read(clone, 0, 4 * BLOCK)).isEqualTo(data);
                clone.trim(BLOCK, BLOCK, false);
                assertThat(read(clone, BLOCK, BLOCK)).containsOnly(0);
                assertThat(read(clone, 0, BLOCK)).isEqualTo(Arrays.copyOf(data, BLOCK));
            }
            store.deleteSnapshot("snap-1");
            store.deleteVolume("vol-2");
            assertThat(store.storedBlockCount()).isZero();
        }
    }

    @Test
    void tombstonesThatHideNothingAreDroppedOnceTheSnapshotGoes() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 16L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-1", BlockCodec.plaintext())) {
                device.write(0, pattern(4 * BLOCK, 3), 0, 4 * BLOCK, false);
                store.createSnapshot("vol-1", "snap-1");
                device.trim(0, 2L * BLOCK, false);
                store.createSnapshot("vol-1", "snap-2");
                store.deleteSnapshot("snap-1");
                assertThat(store.storedBlockCount()).isEqualTo(2);
                assertThat(read(device, 0, 2 * BLOCK)).containsOnly(0);
                assertThat(read(device, 2L * BLOCK, 2 * BLOCK)).isEqualTo(Arrays.copyOfRange(pattern(4 * BLOCK, 3), 2 * BLOCK, 4 * BLOCK));
            }
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.all()).as("no data and no tombstones for the trimmed blocks").hasSize(2);
        }
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CopySnapshot: re-coding every stored block (plaintext to sealed, key A to key B) in a new lineage. */
class VolumeCopyTest {
    private static final int BLOCK = 4096;
    private static final byte[] KEY_A = TestCodecs.dataKey(11);
    private static final byte[] KEY_B = TestCodecs.dataKey(12);
    private static final byte[] MARKER = "COFFER-PLAINTEXT-MARKER-".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCKS = 600;

    @TempDir
    Path dir;

    private static byte[] markedData() {
        byte[] data = new byte[40 * BLOCK];
        for (int i = 0; i + MARKER.length <= data.length; i += MARKER.length) {
            System.arraycopy(MARKER, 0, data, i, MARKER.length);
        }
        return data;
    }

    /** A plaintext volume with 40 marked blocks at 0 and one at 500, snapshotted as snap-plain. */
    private void plainSnapshot(VolumeStore store) throws Exception {
        store.createVolume("vol-plain", (long) BLOCKS * BLOCK, BLOCK, Optional.empty());
        try (VolumeDevice device = store.open("vol-plain", BlockCodec.plaintext())) {
            byte[] data = markedData();
            device.write(0, data, 0, data.length, false);
            device.write(500L * BLOCK, data, 0, BLOCK, false);
        }
        store.createSnapshot("vol-plain", "snap-plain");
    }

    /**
     * The copy stores no plaintext: every live record is a sealed one, and once the plaintext source
     * is deleted and the log cleaned, no file of the store (RocksDB's tables, WAL and logs, the block
     * log) holds the plaintext marker any more. The source is written in an earlier run, so its
     * records sit in a segment of their own that the copy's records do not keep alive.
     */
    @Test
    void copiesAPlaintextSnapshotIntoASealedOneWithoutAnyPlaintextStored() throws Exception {
        List<Long> progress = new ArrayList<>();
        try (VolumeStore store = VolumeStore.open(dir)) {
            plainSnapshot(store);
        }
        assertThat(RawBlocks.filesContaining(dir, MARKER)).as("the plaintext source is in the log").isNotEmpty();
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.copySnapshot("snap-plain", BlockCodec.plaintext(), "snap-enc", Optional.of("snap-enc"),
                    TestCodecs.sealed(KEY_A, "snap-enc", BLOCK), progress::add);
            assertThat(progress).first().isEqualTo(0L);
            assertThat(progress).last().isEqualTo(100L);
            assertThat(progress).isSorted();
            assertThat(store.bindingId("snap-enc")).contains("snap-enc");
            assertThat(store.sizeBytes("snap-enc")).isEqualTo((long) BLOCKS * BLOCK);
            assertThat(store.storedBlockCount()).isEqualTo(82);
            store.deleteSnapshot("snap-plain");
            store.deleteVolume("vol-plain");
            assertThat(store.storedBlockCount()).isEqualTo(41);
            store.cleanLog();
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            Map<String, byte[]> all = raw.all();
            assertThat(all).hasSize(41);
            for (String key : all.keySet()) {
                String[] parts = key.split("/");
                byte[] value = raw.recordValue(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                assertThat(value).hasSize(BLOCK + 45);
                assertThat(TestCodecs.contains(value, MARKER)).isFalse();
            }
        }
        assertThat(RawBlocks.filesContaining(dir, MARKER)).as("files holding plaintext").isEmpty();
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolumeFromSnapshot("vol-enc", "snap-enc", (long) BLOCKS * BLOCK);
            try (VolumeDevice device = store.open("vol-enc", TestCodecs.sealed(KEY_A, "snap-enc", BLOCK))) {
                assertThat(read(device, 0, 40 * BLOCK)).isEqualTo(markedData());
                assertThat(read(device, 500L * BLOCK, BLOCK)).isEqualTo(java.util.Arrays.copyOf(markedData(), BLOCK));
                assertThat(read(device, 40L * BLOCK, BLOCK)).containsOnly(0);
            }
        }
    }

    @Test
    void reEncryptsFromKeyAToKeyBAndTheOldKeyNoLongerReads() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            plainSnapshot(store);
            store.copySnapshotToVolume("snap-plain", BlockCodec.plaintext(), "vol-a", (long) BLOCKS * BLOCK,
                    Optional.of("vol-a"), TestCodecs.sealed(KEY_A, "vol-a", BLOCK), p -> { });
            store.createSnapshot("vol-a", "snap-a");
            store.copySnapshot("snap-a", TestCodecs.sealed(KEY_A, "vol-a", BLOCK), "snap-b", Optional.of("snap-b"),
                    TestCodecs.sealed(KEY_B, "snap-b", BLOCK), p -> { });
            store.copySnapshotToVolume("snap-b", TestCodecs.sealed(KEY_B, "snap-b", BLOCK), "vol-plain-again",
                    2L * BLOCKS * BLOCK, Optional.empty(), BlockCodec.plaintext(), p -> { });
            store.createVolumeFromSnapshot("vol-b", "snap-b", (long) BLOCKS * BLOCK);
            try (VolumeDevice device = store.open("vol-b", TestCodecs.sealed(KEY_B, "snap-b", BLOCK))) {
                assertThat(read(device, 0, 40 * BLOCK)).isEqualTo(markedData());
            }
            try (VolumeDevice device = store.open("vol-b", TestCodecs.sealed(KEY_A, "snap-b", BLOCK))) {
                assertErrno(() -> device.read(0, new byte[BLOCK], 0, BLOCK), Errno.EIO);
            }
            try (VolumeDevice device = store.open("vol-plain-again", BlockCodec.plaintext())) {
                assertThat(device.sizeBytes()).isEqualTo(2L * BLOCKS * BLOCK);
                assertThat(read(device, 0, 40 * BLOCK)).isEqualTo(markedData());
            }
        }
    }

    @Test
    void aFailedCopyLeavesNothingOfTheTarget() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            plainSnapshot(store);
            store.copySnapshot("snap-plain", BlockCodec.plaintext(), "snap-a", Optional.of("snap-a"),
                    TestCodecs.sealed(KEY_A, "snap-a", BLOCK), p -> { });
            long before = store.storedBlockCount();
            List<Long> progress = new ArrayList<>();
            assertThatThrownBy(() -> store.copySnapshot("snap-a", TestCodecs.sealed(KEY_B, "snap-a", BLOCK), "snap-b",
                    Optional.of("snap-b"), TestCodecs.sealed(KEY_B, "snap-b", BLOCK), progress::add))
                    .isInstanceOf(VolumeStoreException.class).hasMessageContaining("failed authentication");
            assertThat(progress).doesNotContain(100L);
            assertThat(store.storedBlockCount()).isEqualTo(before);
            assertThatThrownBy(() -> store.sizeBytes("snap-b")).isInstanceOf(NoSuchSnapshotException.class);
            store.copySnapshot("snap-a", TestCodecs.sealed(KEY_A, "snap-a", BLOCK), "snap-b",
                    Optional.of("snap-b"), TestCodecs.sealed(KEY_B, "snap-b", BLOCK), p -> { });
            assertThat(store.storedBlockCount()).isEqualTo(before + 41);
        }
    }

    @Test
    void refusesCodecsThatDoNotFitTheSourceOrTheTarget() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            plainSnapshot(store);
            assertThatThrownBy(() -> store.copySnapshot("snap-plain", TestCodecs.sealed(KEY_A, "x", BLOCK), "snap-x",
                    Optional.of("snap-x"), TestCodecs.sealed(KEY_A, "snap-x", BLOCK), p -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.copySnapshot("snap-plain", BlockCodec.plaintext(), "snap-x",
                    Optional.of("snap-x"), TestCodecs.sealed(KEY_A, "other", BLOCK), p -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.copySnapshot("snap-plain", BlockCodec.plaintext(), "snap-x",
                    Optional.empty(), TestCodecs.sealed(KEY_A, "snap-x", BLOCK), p -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.copySnapshot("snap-none", BlockCodec.plaintext(), "snap-x",
                    Optional.empty(), BlockCodec.plaintext(), p -> { }))
                    .isInstanceOf(NoSuchSnapshotException.class);
            assertThatThrownBy(() -> store.copySnapshot("snap-plain", BlockCodec.plaintext(), "vol-plain",
                    Optional.empty(), BlockCodec.plaintext(), p -> { }))
                    .isInstanceOf(IllegalStateException.class);
            store.createVolumeFromSnapshot("vol-x", "snap-plain", (long) BLOCKS * BLOCK);
            assertThat(store.storedBlockCount()).isEqualTo(41);
        }
    }
}

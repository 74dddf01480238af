package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store's control operations: ids, sizes, lifecycle, the record table, format versioning and recovery. */
class VolumeStoreMetadataTest {
    private static final int BLOCK = 512;

    @TempDir
    Path dir;

    @Test
    void unknownIdsAndDuplicatesFailClearly() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty());
            store.createSnapshot("vol-1", "snap-1");
            assertThatThrownBy(() -> store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty()))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.createSnapshot("vol-1", "snap-1")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.createSnapshot("vol-1", "vol-1")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.open("vol-9", BlockCodec.plaintext())).isInstanceOf(NoSuchVolumeException.class);
            assertThatThrownBy(() -> store.deleteVolume("vol-9")).isInstanceOf(NoSuchVolumeException.class);
            assertThatThrownBy(() -> store.createSnapshot("vol-9", "snap-9")).isInstanceOf(NoSuchVolumeException.class);
            assertThatThrownBy(() -> store.deleteSnapshot("snap-9")).isInstanceOf(NoSuchSnapshotException.class);
            assertThatThrownBy(() -> store.createVolumeFromSnapshot("vol-2", "snap-9", 8L * BLOCK))
                    .isInstanceOf(NoSuchSnapshotException.class);
            assertThatThrownBy(() -> store.bindingId("snap-9")).isInstanceOf(NoSuchSnapshotException.class);
            assertThatThrownBy(() -> store.createVolume("vol-3", 1000, BLOCK, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.createVolume("vol-3", 8L * 1000, 1000, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.createVolumeFromSnapshot("vol-3", "snap-1", 4L * BLOCK))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.sizeBytes("snap-1")).isEqualTo(8L * BLOCK);
        }
    }

    @Test
    void anOpenVolumeCannotBeDeletedOrOpenedTwice() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty());
            VolumeDevice device = store.open("vol-1", BlockCodec.plaintext());
            assertThatThrownBy(() -> store.deleteVolume("vol-1")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.open("vol-1", BlockCodec.plaintext())).isInstanceOf(IllegalStateException.class);
            device.close();
            device.close();
            store.deleteVolume("vol-1");
            assertThatThrownBy(() -> store.sizeBytes("vol-1")).isInstanceOf(NoSuchVolumeException.class);
        }
    }

    @Test
    void resizeGrowsAnOpenVolumeWithZerosAndRefusesToShrink() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-1", BlockCodec.plaintext())) {
                device.write(0, pattern(8 * BLOCK, 1), 0, 8 * BLOCK, false);
                assertErrno(() -> device.write(8L * BLOCK, new byte[BLOCK], 0, BLOCK, false), Errno.EINVAL);
                store.resizeVolume("vol-1", 16L * BLOCK);
                assertThat(device.sizeBytes()).isEqualTo(16L * BLOCK);
                assertThat(read(device, 8L * BLOCK, 8 * BLOCK)).containsOnly(0);
                device.write(15L * BLOCK, pattern(BLOCK, 2), 0, BLOCK, false);
                assertThat(read(device, 0, 8 * BLOCK)).isEqualTo(pattern(8 * BLOCK, 1));
            }
            assertThatThrownBy(() -> store.resizeVolume("vol-1", 8L * BLOCK)).isInstanceOf(IllegalArgumentException.class);
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            assertThat(store.sizeBytes("vol-1")).isEqualTo(16L * BLOCK);
        }
    }

    @Test
    void closingTheStoreShutsItsDevicesAndRefusesLaterCalls() throws Exception {
        VolumeStore store = VolumeStore.open(dir);
        store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty());
        VolumeDevice device = store.open("vol-1", BlockCodec.plaintext());
        device.write(0, pattern(BLOCK, 3), 0, BLOCK, false);
        store.close();
        assertErrno(() -> device.read(0, new byte[BLOCK], 0, BLOCK), Errno.ESHUTDOWN);
        assertThatThrownBy(() -> store.createSnapshot("vol-1", "snap-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::storedBlockCount).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.records().get("x")).isInstanceOf(IllegalStateException.class);
        try (VolumeStore again = VolumeStore.open(dir); VolumeDevice reopened = again.open("vol-1", BlockCodec.plaintext())) {
            assertThat(read(reopened, 0, BLOCK)).isEqualTo(pattern(BLOCK, 3));
        }
    }

    @Test
    void theRecordTableIsDurableAndScansByPrefix() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            RecordTable records = store.records();
            records.put("volume/vol-2", "b".getBytes(StandardCharsets.UTF_8));
            records.put("volume/vol-1", "a".getBytes(StandardCharsets.UTF_8));
            records.put("snapshot/snap-1", "s".getBytes(StandardCharsets.UTF_8));
            records.put("volume/vol-3", "c".getBytes(StandardCharsets.UTF_8));
            records.delete("volume/vol-3");
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            RecordTable records = store.records();
            assertThat(records.get("volume/vol-1")).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[] {'a'}));
            assertThat(records.get("volume/vol-3")).isEmpty();
            assertThat(records.scan("volume/")).extracting(Map.Entry::getKey).containsExactly("volume/vol-1", "volume/vol-2");
            assertThat(records.scan("")).hasSize(3);
        }
    }

    @Test
    void aNewStoreIsOfFormatTwo() throws Exception {
        VolumeStore.open(dir).close();
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.getMeta(MetadataKeys.FORMAT)).containsExactly(2);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 0xFF, 0})
    void refusesAStoreOfAnotherFormatVersion(int version) throws Exception {
        VolumeStore.open(dir).close();
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.putMeta(MetadataKeys.FORMAT, new byte[] {(byte) version});
        }
        assertThatThrownBy(() -> VolumeStore.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("format " + version);
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.getMeta(MetadataKeys.FORMAT)).as("a refused store is left as it was").containsExactly(version);
        }
    }

    /**
     * A store of format v1 keeps its blocks inline in RocksDB and has no block log. Opening it upgrades
     * it to v2 in place: the inline values stay where they are and read as before (plaintext and
     * sealed, whole, partial and through a snapshot), while every new write goes to the log.
     */
    @Test
    void upgradesAFormatOneStoreWithInlineBlocksInPlace() throws Exception {
        int block = 4096;
        byte[] key = TestCodecs.dataKey(21);
        long plainSpace = 1;
        long sealedSpace = 2;
        long epoch = 1;
        byte[] plain = pattern(3 * block, 31);
        byte[] sealed = pattern(3 * block, 32);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-p", 8L * block, block, Optional.empty());
            store.createVolume("vol-s", 8L * block, block, Optional.of("vol-s"));
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.putMeta(MetadataKeys.FORMAT, new byte[] {1});
            for (int i = 0; i < 3; i++) {
                byte[] p = java.util.Arrays.copyOfRange(plain, i * block, (i + 1) * block);
                byte[] s = java.util.Arrays.copyOfRange(sealed, i * block, (i + 1) * block);
                raw.put(plainSpace, i, epoch, p);
                raw.put(sealedSpace, i, epoch, RawBlocks.sealedInline(key, "vol-s", block, i, s));
            }
            raw.put(plainSpace, 3, epoch, new byte[0]);
        }
        // A v1 store has no block log at all.
        deleteRecursively(RawBlocks.logDirectory(dir));
        byte[] newPlain = pattern(block, 33);
        byte[] newSealed = pattern(block, 34);
        byte[] partial = pattern(100, 35);
        try (VolumeStore store = VolumeStore.open(dir)) {
            try (VolumeDevice p = store.open("vol-p", BlockCodec.plaintext());
                 VolumeDevice s = store.open("vol-s", TestCodecs.sealed(key, "vol-s", block))) {
                assertThat(read(p, 0, 4 * block)).isEqualTo(java.util.Arrays.copyOf(plain, 4 * block));
                assertThat(read(s, 0, 4 * block)).isEqualTo(java.util.Arrays.copyOf(sealed, 4 * block));
                assertThat(read(p, block + 7, 50)).isEqualTo(java.util.Arrays.copyOfRange(plain, block + 7, block + 57));
                assertThat(read(s, block + 7, 50)).isEqualTo(java.util.Arrays.copyOfRange(sealed, block + 7, block + 57));
                store.createSnapshot("vol-p", "snap-p");
                store.createSnapshot("vol-s", "snap-s");
                // Block 0: a whole new block; block 1: a partial write over the inline block (read, modify, log).
                p.write(0, newPlain, 0, block, false);
                s.write(0, newSealed, 0, block, false);
                p.write(block + 10, partial, 0, partial.length, false);
                s.write(block + 10, partial, 0, partial.length, false);
                assertThat(read(p, 0, block)).isEqualTo(newPlain);
                assertThat(read(s, 0, block)).isEqualTo(newSealed);
                assertThat(read(p, block, block)).isEqualTo(overlaid(plain, block, 10, partial));
                assertThat(read(s, block, block)).isEqualTo(overlaid(sealed, block, 10, partial));
                assertThat(read(p, 2L * block, block)).isEqualTo(java.util.Arrays.copyOfRange(plain, 2 * block, 3 * block));
            }
            // The cleaner leaves inline values alone.
            store.cleanLog();
            store.createVolumeFromSnapshot("vol-p2", "snap-p", 8L * block);
            store.createVolumeFromSnapshot("vol-s2", "snap-s", 8L * block);
            try (VolumeDevice p2 = store.open("vol-p2", BlockCodec.plaintext());
                 VolumeDevice s2 = store.open("vol-s2", TestCodecs.sealed(key, "vol-s", block))) {
                assertThat(read(p2, 0, 3 * block)).as("the snapshot keeps the inline blocks").isEqualTo(plain);
                assertThat(read(s2, 0, 3 * block)).isEqualTo(sealed);
            }
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.getMeta(MetadataKeys.FORMAT)).as("upgraded in place").containsExactly(2);
            // The inline values are untouched; the new epoch's blocks are pointers to log records.
            assertThat(raw.get(plainSpace, 2, epoch)).isEqualTo(java.util.Arrays.copyOfRange(plain, 2 * block, 3 * block));
            assertThat(raw.get(plainSpace, 0, epoch)).hasSize(block);
            assertThat(raw.get(sealedSpace, 0, epoch)).hasSize(block + 45);
            assertThat(raw.recordValue(plainSpace, 0, epoch + 1)).isEqualTo(newPlain);
            assertThat(raw.recordValue(plainSpace, 1, epoch + 1)).isEqualTo(overlaid(plain, block, 10, partial));
            assertThat(raw.recordValue(sealedSpace, 0, epoch + 1)).hasSize(block + 45);
            assertThat(raw.recordValue(sealedSpace, 1, epoch + 1)).hasSize(block + 45);
            assertThat(RawBlocks.segments(dir)).isNotEmpty();
        }
        try (VolumeStore store = VolumeStore.open(dir);
             VolumeDevice p = store.open("vol-p", BlockCodec.plaintext());
             VolumeDevice s = store.open("vol-s", TestCodecs.sealed(key, "vol-s", block))) {
            assertThat(read(p, 0, block)).isEqualTo(newPlain);
            assertThat(read(s, block, block)).isEqualTo(overlaid(sealed, block, 10, partial));
            assertThat(read(s, 2L * block, block)).isEqualTo(java.util.Arrays.copyOfRange(sealed, 2 * block, 3 * block));
        }
    }

    /** Block 1 of {@code data} with {@code patch} written at {@code offset} in it. */
    private static byte[] overlaid(byte[] data, int block, int offset, byte[] patch) {
        byte[] expected = java.util.Arrays.copyOfRange(data, block, 2 * block);
        System.arraycopy(patch, 0, expected, offset, patch.length);
        return expected;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(file);
            }
        }
    }

    @Test
    void dropsTheBlocksOfACopyThatDiedWithTheProcess() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-1", BlockCodec.plaintext())) {
                device.write(0, pattern(BLOCK, 1), 0, BLOCK, false);
            }
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.put(77, 0, 1, pattern(BLOCK, 2));
            raw.put(77, 1, 1, pattern(BLOCK, 3));
            raw.putMeta(MetadataKeys.pendingCopy(77), new byte[0]);
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            assertThat(store.storedBlockCount()).isEqualTo(1);
        }
    }
}

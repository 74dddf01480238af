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
    void refusesAStoreOfAnotherFormatVersion() throws Exception {
        VolumeStore.open(dir).close();
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.putMeta(MetadataKeys.FORMAT, new byte[] {2});
        }
        assertThatThrownBy(() -> VolumeStore.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("format 2");
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

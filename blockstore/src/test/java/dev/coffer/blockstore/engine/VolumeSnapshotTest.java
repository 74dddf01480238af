package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshots: point-in-time, incremental, shared with the volumes made from them, freed precisely. */
class VolumeSnapshotTest {
    private static final int BLOCK = 4096;
    private static final byte[] KEY = TestCodecs.dataKey(3);
    private static final TestCodecs.ForVolume VOLUME = new TestCodecs.ForVolume(KEY, "vol-a", BLOCK);

    @TempDir
    Path dir;

    /**
     * The writer writes n = 1, 2, 3, ... each to blocks (n mod 31) and (n mod 31) + 1 in one request.
     * A snapshot taken meanwhile must be the state after exactly the first k writes for some k.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void snapshotsArePointInTimeWhileAnotherThreadWrites(boolean sealed) throws Exception {
        int blocks = 32;
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", (long) blocks * BLOCK, BLOCK, VOLUME.binding(sealed));
            List<String> taken = new ArrayList<>();
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                    long n = 0;
                    byte[] two = new byte[2 * BLOCK];
                    try {
                        while (!stop.get()) {
                            n++;
                            ByteBuffer b = ByteBuffer.wrap(two);
                            while (b.hasRemaining()) {
                                b.putLong(n);
                            }
                            device.write((n % 31) * BLOCK, two, 0, two.length, false);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return n;
                });
                for (int s = 0; s < 15; s++) {
                    Thread.sleep(3);
                    store.createSnapshot("vol-a", "snap-" + s);
                    taken.add("snap-" + s);
                }
                stop.set(true);
                assertThat(writer.get()).isPositive();
            }
            for (String snapshot : taken) {
                String clone = "vol-of-" + snapshot;
                store.createVolumeFromSnapshot(clone, snapshot, (long) blocks * BLOCK);
                try (VolumeDevice device = store.open(clone, VOLUME.codec(sealed))) {
                    long[] values = new long[blocks];
                    long k = 0;
                    for (int j = 0; j < blocks; j++) {
                        ByteBuffer block = ByteBuffer.wrap(read(device, (long) j * BLOCK, BLOCK));
                        values[j] = block.getLong();
                        while (block.hasRemaining()) {
                            assertThat(block.getLong()).as("block %d is torn in %s", j, snapshot).isEqualTo(values[j]);
                        }
                        k = Math.max(k, values[j]);
                    }
                    for (int j = 0; j < blocks; j++) {
                        assertThat(values[j]).as("block %d of %s (state after %d writes)", j, snapshot, k)
                                .isEqualTo(lastWriteOf(j, k));
                    }
                }
            }
        }
    }

    private static long lastWriteOf(int block, long k) {
        for (long n = k; n > 0 && n > k - 64; n--) {
            if (n % 31 == block || n % 31 + 1 == block) {
                return n;
            }
        }
        return 0;
    }

    @Test
    void aSecondSnapshotStoresOnlyTheBlocksChangedSinceTheFirst() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", 64L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                device.write(0, pattern(10 * BLOCK, 1), 0, 10 * BLOCK, false);
                store.createSnapshot("vol-a", "snap-1");
                assertThat(store.storedBlockCount()).isEqualTo(10);
                device.write(2L * BLOCK, pattern(2 * BLOCK, 2), 0, 2 * BLOCK, false);
                device.write(2L * BLOCK, pattern(2 * BLOCK, 3), 0, 2 * BLOCK, false);
                store.createSnapshot("vol-a", "snap-2");
                assertThat(store.storedBlockCount()).isEqualTo(12);
                device.write(20L * BLOCK, pattern(BLOCK, 4), 0, BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(13);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aVolumeFromASnapshotIsReadableAtOnceAndIndependentBothWays(boolean sealed) throws Exception {
        byte[] original = pattern(8 * BLOCK, 5);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", 16L * BLOCK, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice a = store.open("vol-a", VOLUME.codec(sealed))) {
                a.write(0, original, 0, original.length, false);
                store.createSnapshot("vol-a", "snap-1");
                store.createVolumeFromSnapshot("vol-b", "snap-1", 32L * BLOCK);
                assertThat(store.bindingId("vol-b")).isEqualTo(VOLUME.binding(sealed));
                try (VolumeDevice b = store.open("vol-b", VOLUME.codec(sealed))) {
                    assertThat(b.sizeBytes()).isEqualTo(32L * BLOCK);
                    assertThat(read(b, 0, original.length)).isEqualTo(original);
                    assertThat(read(b, 16L * BLOCK, 16 * BLOCK)).containsOnly(0);
                    byte[] forB = pattern(BLOCK + 10, 6);
                    b.write(100, forB, 0, forB.length, false);
                    byte[] forA = pattern(BLOCK, 7);
                    a.write(3L * BLOCK, forA, 0, BLOCK, false);
                    assertThat(read(a, 100, forB.length)).isEqualTo(java.util.Arrays.copyOfRange(original, 100, 100 + forB.length));
                    assertThat(read(b, 100, forB.length)).isEqualTo(forB);
                    assertThat(read(b, 3L * BLOCK, BLOCK)).isEqualTo(java.util.Arrays.copyOfRange(original, 3 * BLOCK, 4 * BLOCK));
                    assertThat(read(a, 3L * BLOCK, BLOCK)).isEqualTo(forA);
                }
            }
            store.createVolumeFromSnapshot("vol-c", "snap-1", 16L * BLOCK);
            try (VolumeDevice c = store.open("vol-c", VOLUME.codec(sealed))) {
                assertThat(read(c, 0, original.length)).isEqualTo(original);
            }
        }
    }

    @Test
    void deletingASnapshotFreesOnlyBlocksNothingElseReferences() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", 64L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice a = store.open("vol-a", BlockCodec.plaintext())) {
                a.write(0, pattern(10 * BLOCK, 1), 0, 10 * BLOCK, false);
                store.createSnapshot("vol-a", "snap-1");
                a.write(0, pattern(5 * BLOCK, 2), 0, 5 * BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(15);
                store.deleteSnapshot("snap-1");
                assertThat(store.storedBlockCount()).isEqualTo(10);

                store.createSnapshot("vol-a", "snap-2");
                store.createSnapshot("vol-a", "snap-3");
                a.write(0, pattern(BLOCK, 3), 0, BLOCK, false);
                assertThat(store.storedBlockCount()).isEqualTo(11);
                store.deleteSnapshot("snap-3");
                assertThat(store.storedBlockCount()).isEqualTo(11);
                store.deleteSnapshot("snap-2");
                assertThat(store.storedBlockCount()).isEqualTo(10);
                assertThat(read(a, 0, BLOCK)).isEqualTo(pattern(BLOCK, 3));
            }
            store.deleteVolume("vol-a");
            assertThat(store.storedBlockCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aVolumeFromASnapshotSurvivesDeletingTheSnapshotAndTheSourceVolume(boolean sealed) throws Exception {
        byte[] data = pattern(6 * BLOCK, 9);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", 8L * BLOCK, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice a = store.open("vol-a", VOLUME.codec(sealed))) {
                a.write(0, data, 0, data.length, false);
            }
            store.createSnapshot("vol-a", "snap-1");
            store.createVolumeFromSnapshot("vol-b", "snap-1", 8L * BLOCK);
            store.createSnapshot("vol-b", "snap-2");
            store.createVolumeFromSnapshot("vol-c", "snap-2", 8L * BLOCK);
            store.deleteSnapshot("snap-1");
            store.deleteVolume("vol-a");
            store.deleteSnapshot("snap-2");
            store.deleteVolume("vol-b");
            assertThat(store.storedBlockCount()).isEqualTo(6);
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            try (VolumeDevice c = store.open("vol-c", VOLUME.codec(sealed))) {
                assertThat(read(c, 0, data.length)).isEqualTo(data);
            }
            assertThatThrownBy(() -> store.sizeBytes("vol-a")).isInstanceOf(NoSuchVolumeException.class);
            assertThatThrownBy(() -> store.bindingId("vol-a")).isInstanceOf(NoSuchVolumeException.class);
            store.deleteVolume("vol-c");
            assertThat(store.storedBlockCount()).isZero();
        }
    }

    /** The worked example of docs/formats/volume-engine-v1.md, record by record. */
    @Test
    void followsTheWorkedExampleOfTheFormatSpec() throws Exception {
        byte[] a = pattern(BLOCK, 1);
        byte[] b = pattern(BLOCK, 2);
        byte[] a2 = pattern(BLOCK, 3);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", 4L * BLOCK, BLOCK, Optional.empty());
            try (VolumeDevice vol = store.open("vol-a", BlockCodec.plaintext())) {
                vol.write(0, a, 0, BLOCK, false);
                vol.write(BLOCK, b, 0, BLOCK, false);
                store.createSnapshot("vol-a", "snap-1");
                vol.write(0, a2, 0, BLOCK, false);
                vol.trim(BLOCK, BLOCK, false);
                assertThat(read(vol, 0, BLOCK)).isEqualTo(a2);
                assertThat(read(vol, BLOCK, BLOCK)).containsOnly(0);
            }
            store.createVolumeFromSnapshot("vol-b", "snap-1", 4L * BLOCK);
            try (VolumeDevice volB = store.open("vol-b", BlockCodec.plaintext())) {
                assertThat(read(volB, 0, BLOCK)).isEqualTo(a);
                assertThat(read(volB, BLOCK, BLOCK)).isEqualTo(b);
            }
            store.deleteSnapshot("snap-1");
            assertThat(store.storedBlockCount()).isEqualTo(3);
            store.deleteVolume("vol-b");
            assertThat(store.storedBlockCount()).isEqualTo(1);
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            assertThat(raw.all()).containsOnlyKeys("1/0/2", "1/1/2");
            // Format v2: the table keeps a pointer, the block log the record (header naming the key, then a2).
            assertThat(RawBlocks.isPointer(raw.all().get("1/0/2"))).isTrue();
            assertThat(raw.locate(1, 0, 2).length()).isEqualTo(RawBlocks.HEADER + BLOCK);
            assertThat(raw.recordValue(1, 0, 2)).isEqualTo(a2);
            assertThat(raw.all().get("1/1/2")).isEmpty();
        }
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RocksVolumeDevice#tryReadWithoutBlocking}: it answers only from memtables and the block cache,
 * with exactly the bytes {@link VolumeDevice#read} would return, and declines everything else.
 */
class VolumeNonBlockingReadTest {
    private static final int BLOCK = 4096;
    private static final long SIZE = 64L * BLOCK;
    private static final byte[] KEY = TestCodecs.dataKey(5);

    @TempDir
    Path dir;

    private static Optional<String> binding(boolean sealed) {
        return sealed ? Optional.of("vol-a") : Optional.empty();
    }

    private static BlockCodec codec(boolean sealed) {
        return sealed ? TestCodecs.sealed(KEY, "vol-a", BLOCK) : BlockCodec.plaintext();
    }

    /** What the non-blocking read answers, or null if it declined. */
    private static byte[] tryRead(VolumeDevice device, long offset, int length) {
        byte[] dst = new byte[length];
        return device.tryReadWithoutBlocking(offset, dst, 0, length) ? dst : null;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersARecentWriteFromTheMemtable(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, binding(sealed));
            try (VolumeDevice device = store.open("vol-a", codec(sealed))) {
                byte[] data = pattern(2 * BLOCK, 1);
                device.write(3L * BLOCK, data, 0, data.length, false);
                assertThat(tryRead(device, 3L * BLOCK, BLOCK)).isEqualTo(read(device, 3L * BLOCK, BLOCK));
                assertThat(tryRead(device, 3L * BLOCK + 100, BLOCK)).isEqualTo(read(device, 3L * BLOCK + 100, BLOCK));
                assertThat(tryRead(device, 3L * BLOCK, 2 * BLOCK)).isEqualTo(data);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReadAfterAWriteSeesTheWrite(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, binding(sealed));
            try (VolumeDevice device = store.open("vol-a", codec(sealed))) {
                for (int n = 0; n < 20; n++) {
                    byte[] data = pattern(BLOCK, n);
                    device.write(7L * BLOCK, data, 0, BLOCK, false);
                    assertThat(tryRead(device, 7L * BLOCK, BLOCK)).isEqualTo(data);
                    device.trim(7L * BLOCK, BLOCK, false);
                    assertThat(tryRead(device, 7L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void afterARestartTheTablesAreColdSoItDeclinesUntilABlockingReadWarmsTheCache(boolean sealed) throws Exception {
        byte[] data = pattern(4 * BLOCK, 2);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, binding(sealed));
            try (VolumeDevice device = store.open("vol-a", codec(sealed))) {
                device.write(0, data, 0, data.length, true);
            }
        }
        // Opening replays the WAL into a table file: nothing of the volume is in memory.
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-a", codec(sealed))) {
            assertThat(tryRead(device, BLOCK, BLOCK)).isNull();
            // A never-written block next to stored ones: its absence is not known without the table block.
            assertThat(tryRead(device, 4L * BLOCK, BLOCK)).isNull();
            assertThat(read(device, BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK));
            assertThat(tryRead(device, BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK));
            byte[] zeros = tryRead(device, 4L * BLOCK, BLOCK);
            assertThat(zeros).isIn(null, new byte[BLOCK]);
        }
    }

    @Test
    void neverWrittenBlocksReadAsZerosOnlyWhenThatIsKnownInMemory() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                // No table file anywhere: the memtables are the whole database, so absence is definite.
                assertThat(tryRead(device, 9L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsTheVolumesViewThroughOlderEpochsAndTheParentChain(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, binding(sealed));
            byte[] before = pattern(3 * BLOCK, 3);
            byte[] after = pattern(BLOCK, 4);
            try (VolumeDevice device = store.open("vol-a", codec(sealed))) {
                device.write(0, before, 0, before.length, false);
                store.createSnapshot("vol-a", "snap-1");
                device.write(0, after, 0, BLOCK, false);
                device.trim(BLOCK, BLOCK, false);
                assertThat(tryRead(device, 0, BLOCK)).isEqualTo(after);
                assertThat(tryRead(device, BLOCK, BLOCK)).as("a tombstone over the snapshot's block").isEqualTo(new byte[BLOCK]);
                assertThat(tryRead(device, 2L * BLOCK, BLOCK)).as("written before the snapshot, at an older epoch")
                        .isEqualTo(Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK));
            }
            store.createVolumeFromSnapshot("vol-b", "snap-1", SIZE);
            try (VolumeDevice clone = store.open("vol-b", codec(sealed))) {
                assertThat(tryRead(clone, 0, 2 * BLOCK)).as("the snapshot, through the parent level")
                        .isEqualTo(Arrays.copyOf(before, 2 * BLOCK));
                assertThat(tryRead(clone, 2L * BLOCK, BLOCK)).isEqualTo(read(clone, 2L * BLOCK, BLOCK));
                assertThat(tryRead(clone, 3L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
            }
        }
    }

    @Test
    void declinesWhatItMustNotAnswer() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            VolumeDevice device = store.open("vol-a", BlockCodec.plaintext());
            device.write(0, pattern(BLOCK, 6), 0, BLOCK, false);
            assertThat(tryRead(device, SIZE - BLOCK, 2 * BLOCK)).as("past the end").isNull();
            assertThat(tryRead(device, -BLOCK, BLOCK)).as("a negative offset").isNull();
            assertThat(tryRead(device, 0, 3 * BLOCK)).as("more than two blocks").isNull();
            assertThat(tryRead(device, 0, 0)).as("nothing").isNull();
            device.close();
            assertThat(tryRead(device, 0, BLOCK)).as("a closed device").isNull();
        }
    }

    @Test
    void aDamagedRecordIsLeftToTheBlockingReadToReport() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, binding(true));
            try (VolumeDevice device = store.open("vol-a", codec(true))) {
                device.write(0, pattern(BLOCK, 7), 0, BLOCK, false);
            }
            try (VolumeDevice device = store.open("vol-a", TestCodecs.sealed(TestCodecs.dataKey(6), "vol-a", BLOCK))) {
                assertThat(tryRead(device, 0, BLOCK)).isNull();
            }
        }
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RocksVolumeDevice#tryReadWithoutBlocking}: it answers only from memory, with exactly the bytes
 * {@link VolumeDevice#read} would return, and declines everything else. Pointers come from memtables
 * and the block cache only; a block written by this format is a pointer into the block log, whose
 * record is answered only if the page cache holds it (preadv2 with RWF_NOWAIT), which it does for
 * blocks these tests have just written. Also answered from memory: tombstones, blocks known to be
 * absent, and inline values (format v1, still read after an upgrade; these tests put them with
 * {@link RawBlocks} while the store is closed, volume vol-a being space 1). Whatever level of the view
 * decides a block, the answer is that level's, never the value or zeros below it.
 */
class VolumeNonBlockingReadTest {
    private static final int BLOCK = 4096;
    private static final long SIZE = 64L * BLOCK;
    private static final byte[] KEY = TestCodecs.dataKey(5);
    private static final TestCodecs.ForVolume VOLUME = new TestCodecs.ForVolume(KEY, "vol-a", BLOCK);
    private static final long SPACE = 1;
    private static final long EPOCH = 1;

    @TempDir
    Path dir;

    /** What the non-blocking read answers, or null if it declined. */
    private static byte[] tryRead(VolumeDevice device, long offset, int length) {
        byte[] dst = new byte[length];
        return device.tryReadWithoutBlocking(offset, dst, 0, length) ? dst : null;
    }

    /**
     * The non-blocking read's answer where one is due. It declines while the space's lock is taken
     * exclusively, which a background cleaning pass does for a moment (it is scheduled at open):
     * only that contention is waited out, a declined answer for any other reason stays declined.
     */
    private static byte[] answered(VolumeDevice device, long offset, int length) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            byte[] answer = tryRead(device, offset, length);
            if (answer != null) {
                return answer;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("declined a read of [" + offset + ", +" + length + ") that memory can answer");
    }

    /** Creates vol-a and closes the store; with {@code inline}, puts blocks 0.. of {@code data} as v1 inline values. */
    private void volumeWithInlineBlocks(boolean sealed, byte[] data) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
        }
        putInline(sealed, data, 0);
    }

    private void putInline(boolean sealed, byte[] data, int firstBlock) throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            for (int i = 0; i < data.length / BLOCK; i++) {
                byte[] plain = Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK);
                long index = firstBlock + i;
                raw.put(SPACE, index, EPOCH, sealed ? RawBlocks.sealedInline(KEY, "vol-a", BLOCK, index, plain) : plain);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLoggedBlockIsAnsweredFromThePageCache(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                byte[] data = pattern(2 * BLOCK, 1);
                device.write(3L * BLOCK, data, 0, data.length, false);
                assertThat(answered(device, 3L * BLOCK, BLOCK)).isEqualTo(Arrays.copyOf(data, BLOCK));
                assertThat(answered(device, 3L * BLOCK + 100, BLOCK)).isEqualTo(Arrays.copyOfRange(data, 100, 100 + BLOCK));
                assertThat(answered(device, 3L * BLOCK, 2 * BLOCK)).isEqualTo(data);
                assertThat(answered(device, 2L * BLOCK, 2 * BLOCK)).as("with a never-written block")
                        .isEqualTo(concat(new byte[BLOCK], Arrays.copyOf(data, BLOCK)));
                assertThat(read(device, 3L * BLOCK, 2 * BLOCK)).isEqualTo(data);
                assertThat(answered(device, 2L * BLOCK, BLOCK)).as("next to it, a never-written block").isEqualTo(new byte[BLOCK]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReadAfterAWriteSeesTheWrite(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                for (int n = 0; n < 20; n++) {
                    byte[] data = pattern(BLOCK, n);
                    device.write(7L * BLOCK, data, 0, BLOCK, false);
                    assertThat(tryRead(device, 7L * BLOCK, BLOCK)).as("not the zeros of the trim before").isIn(null, data);
                    assertThat(answered(device, 7L * BLOCK, BLOCK)).isEqualTo(data);
                    assertThat(read(device, 7L * BLOCK, BLOCK)).isEqualTo(data);
                    device.trim(7L * BLOCK, BLOCK, false);
                    assertThat(answered(device, 7L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
                }
            }
        }
    }

    /**
     * An inline block held by a snapshot, overwritten and trimmed over and over at the new epoch: the
     * non-blocking read answers the trims' tombstones and the written blocks, never the inline value
     * the write hides.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWriteOverAnInlineBlockIsNeverAnsweredWithTheInlineValue(boolean sealed) throws Exception {
        byte[] inline = pattern(BLOCK, 40);
        volumeWithInlineBlocks(sealed, inline);
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
            assertThat(read(device, 0, BLOCK)).isEqualTo(inline);
            assertThat(answered(device, 0, BLOCK)).isEqualTo(inline);
            store.createSnapshot("vol-a", "snap-1");
            for (int n = 0; n < 10; n++) {
                byte[] data = pattern(BLOCK, n);
                device.write(0, data, 0, BLOCK, false);
                assertThat(tryRead(device, 0, BLOCK)).as("not the inline value below the write").isIn(null, data);
                assertThat(answered(device, 0, BLOCK)).isEqualTo(data);
                assertThat(answered(device, 10, 100)).isEqualTo(Arrays.copyOfRange(data, 10, 110));
                assertThat(read(device, 0, BLOCK)).isEqualTo(data);
                device.trim(0, BLOCK, false);
                assertThat(answered(device, 0, BLOCK)).as("the tombstone over the snapshot's block").isEqualTo(new byte[BLOCK]);
                assertThat(answered(device, 10, 100)).isEqualTo(new byte[100]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void afterARestartTheTablesAreColdSoItDeclinesUntilABlockingReadWarmsTheCache(boolean sealed) throws Exception {
        byte[] data = pattern(4 * BLOCK, 2);
        byte[] logged = pattern(BLOCK, 3);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                device.write(5L * BLOCK, logged, 0, BLOCK, true);
            }
        }
        putInline(sealed, data, 0);
        // Opening replays the WAL into a table file: nothing of the volume is in memory.
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
            assertThat(tryRead(device, BLOCK, BLOCK)).isNull();
            // A never-written block next to stored ones: its absence is not known without the table block.
            assertThat(tryRead(device, 4L * BLOCK, BLOCK)).isNull();
            assertThat(read(device, BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK));
            assertThat(answered(device, BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK));
            byte[] straddling = read(device, BLOCK + 100, BLOCK);
            assertThat(straddling).isEqualTo(Arrays.copyOfRange(data, BLOCK + 100, 2 * BLOCK + 100));
            assertThat(answered(device, BLOCK + 100, BLOCK)).isEqualTo(straddling);
            byte[] zeros = tryRead(device, 4L * BLOCK, BLOCK);
            assertThat(zeros).isIn(null, new byte[BLOCK]);
            // The logged block's record is in the page cache: once its pointer is warm, it is answered.
            assertThat(read(device, 5L * BLOCK, BLOCK)).isEqualTo(logged);
            assertThat(answered(device, 5L * BLOCK, BLOCK)).isEqualTo(logged);
        }
    }

    @Test
    void neverWrittenBlocksReadAsZerosOnlyWhenThatIsKnownInMemory() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                // No table file anywhere: the memtables are the whole database, so absence is definite.
                assertThat(answered(device, 9L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
            }
        }
    }

    /**
     * The view of a volume and of a clone, level by level: inline blocks at an older epoch and in the
     * parent are answered (once a blocking read has brought their table blocks into the cache), a
     * tombstone is answered, and a logged block is answered at every level as itself, never as the
     * inline value or the zeros below it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsTheVolumesViewThroughOlderEpochsAndTheParentChain(boolean sealed) throws Exception {
        byte[] before = pattern(3 * BLOCK, 3);
        byte[] after = pattern(BLOCK, 4);
        byte[] loggedBefore = pattern(BLOCK, 5);
        volumeWithInlineBlocks(sealed, before);
        try (VolumeStore store = VolumeStore.open(dir)) {
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                device.write(3L * BLOCK, loggedBefore, 0, BLOCK, false);
                store.createSnapshot("vol-a", "snap-1");
                device.write(0, after, 0, BLOCK, false);
                device.trim(BLOCK, BLOCK, false);
                assertThat(read(device, 0, 4 * BLOCK)).isEqualTo(concat(after, new byte[BLOCK],
                        Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK), loggedBefore));
                assertThat(answered(device, 0, BLOCK)).as("logged over an inline block").isEqualTo(after);
                assertThat(answered(device, BLOCK, BLOCK)).as("a tombstone over the snapshot's block").isEqualTo(new byte[BLOCK]);
                assertThat(answered(device, 2L * BLOCK, BLOCK)).as("inline, written before the snapshot, at an older epoch")
                        .isEqualTo(Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK));
                assertThat(answered(device, BLOCK, 2 * BLOCK)).isEqualTo(concat(new byte[BLOCK],
                        Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK)));
                assertThat(answered(device, 3L * BLOCK, BLOCK)).as("logged at an older epoch").isEqualTo(loggedBefore);
                assertThat(answered(device, 2L * BLOCK, 2 * BLOCK))
                        .isEqualTo(concat(Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK), loggedBefore));
            }
            store.createVolumeFromSnapshot("vol-b", "snap-1", SIZE);
            try (VolumeDevice clone = store.open("vol-b", VOLUME.codec(sealed))) {
                assertThat(read(clone, 0, 5 * BLOCK)).isEqualTo(concat(before, loggedBefore, new byte[BLOCK]));
                assertThat(answered(clone, 0, 2 * BLOCK)).as("the snapshot's inline blocks, through the parent level")
                        .isEqualTo(Arrays.copyOf(before, 2 * BLOCK));
                assertThat(answered(clone, 2L * BLOCK, BLOCK)).isEqualTo(Arrays.copyOfRange(before, 2 * BLOCK, 3 * BLOCK));
                assertThat(answered(clone, 3L * BLOCK, BLOCK)).as("the snapshot's logged block, through the parent level")
                        .isEqualTo(loggedBefore);
                assertThat(answered(clone, 4L * BLOCK, BLOCK)).as("absent at every level").isEqualTo(new byte[BLOCK]);
                byte[] mine = pattern(BLOCK, 6);
                clone.write(2L * BLOCK, mine, 0, BLOCK, false);
                assertThat(answered(clone, 2L * BLOCK, BLOCK)).as("logged in the clone over the parent's inline block")
                        .isEqualTo(mine);
                assertThat(read(clone, 2L * BLOCK, BLOCK)).isEqualTo(mine);
                clone.trim(0, BLOCK, false);
                assertThat(answered(clone, 0, BLOCK)).as("the clone's tombstone over the parent's block").isEqualTo(new byte[BLOCK]);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void declinesWhatItMustNotAnswer() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            VolumeDevice device = store.open("vol-a", BlockCodec.plaintext());
            assertThat(tryRead(device, SIZE - BLOCK, 2 * BLOCK)).as("past the end").isNull();
            assertThat(tryRead(device, -BLOCK, BLOCK)).as("a negative offset").isNull();
            assertThat(tryRead(device, 4L * BLOCK, 3 * BLOCK)).as("more than two blocks").isNull();
            assertThat(tryRead(device, 4L * BLOCK, 0)).as("nothing").isNull();
            assertThat(answered(device, 4L * BLOCK, 2 * BLOCK)).as("two never-written blocks").isEqualTo(new byte[2 * BLOCK]);
            device.close();
            assertThat(tryRead(device, 4L * BLOCK, BLOCK)).as("a closed device").isNull();
        }
    }

    /** Inline values and log records that fail (another key, a flipped byte, a wrong size) decline even when warm; read reports EIO. */
    @Test
    void aDamagedRecordIsLeftToTheBlockingReadToReport() throws Exception {
        byte[] data = pattern(3 * BLOCK, 7);
        volumeWithInlineBlocks(true, data);
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] flipped = raw.get(SPACE, 1, EPOCH);
            flipped[100] ^= 1;
            raw.put(SPACE, 1, EPOCH, flipped);
            byte[] shortened = raw.get(SPACE, 2, EPOCH);
            raw.put(SPACE, 2, EPOCH, Arrays.copyOf(shortened, shortened.length - 1));
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(true))) {
                assertThat(read(device, 0, BLOCK)).isEqualTo(Arrays.copyOf(data, BLOCK));
                assertThat(answered(device, 0, BLOCK)).as("warm and intact").isEqualTo(Arrays.copyOf(data, BLOCK));
                for (long block = 1; block <= 2; block++) {
                    long at = block * BLOCK;
                    assertErrno(() -> device.read(at, new byte[BLOCK], 0, BLOCK), Errno.EIO);
                    assertThat(tryRead(device, at, BLOCK)).isNull();
                    assertThat(tryRead(device, at + 10, 10)).isNull();
                }
                assertThat(tryRead(device, 0, 2 * BLOCK)).as("an intact block with a damaged one").isNull();
            }
            try (VolumeDevice device = store.open("vol-a", TestCodecs.sealed(TestCodecs.dataKey(6), "vol-a", BLOCK))) {
                assertErrno(() -> device.read(0, new byte[BLOCK], 0, BLOCK), Errno.EIO);
                assertThat(tryRead(device, 0, BLOCK)).as("another key").isNull();
            }
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(true))) {
                device.write(5L * BLOCK, pattern(2 * BLOCK, 8), 0, 2 * BLOCK, true);
            }
        }
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.flip(SPACE, 5, EPOCH, LogRecord.HEADER_BYTES + 100); // the sealed value: fails its tag
            raw.flip(SPACE, 6, EPOCH, 10); // the header's key: fails the log's check
        }
        try (VolumeStore store = VolumeStore.open(dir); VolumeDevice device = store.open("vol-a", VOLUME.codec(true))) {
            for (long block = 5; block <= 6; block++) {
                long at = block * BLOCK;
                assertErrno(() -> device.read(at, new byte[BLOCK], 0, BLOCK), Errno.EIO);
                assertThat(tryRead(device, at, BLOCK)).as("a damaged log record, block " + block).isNull();
            }
        }
    }
}

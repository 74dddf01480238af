package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BlockLogCleaner} through {@link VolumeStore#cleanLog()}, with 64 KiB segments so a few
 * hundred blocks fill many of them. The store also cleans in the background (after a segment rolls,
 * after deletes, at open), so these tests never depend on which pass did the work: they call
 * {@code cleanLog()} themselves and then check the files and the reads. A segment that was closed
 * for appends before its records all became dead must be gone after a pass; a live record must read
 * as before, wherever it was moved.
 */
class BlockLogCleanerTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 64;
    private static final long SIZE = (long) BLOCKS * BLOCK;
    private static final long SEGMENT = 64 << 10;
    private static final VolumeStoreConfig SMALL_SEGMENTS =
            new VolumeStoreConfig(VolumeStoreConfig.MIN_BLOCK_CACHE_SIZE_BYTES, SEGMENT);
    private static final byte[] KEY = TestCodecs.dataKey(23);
    private static final TestCodecs.ForVolume VOLUME = new TestCodecs.ForVolume(KEY, "vol-a", BLOCK);

    @TempDir
    Path dir;

    private static int recordBytes(boolean sealed) {
        return RawBlocks.HEADER + BLOCK + (sealed ? 45 : 0);
    }

    private VolumeStore open() throws Exception {
        return VolumeStore.open(dir, SMALL_SEGMENTS);
    }

    /** Every segment but the newest (the active one, which may still be appended to): their records are all written. */
    private Set<Integer> closedSegments() {
        TreeSet<Integer> ids = new TreeSet<>(RawBlocks.segments(dir).keySet());
        ids.pollLast();
        return ids;
    }

    /** Writes the whole volume in requests of 4 blocks; returns what was written. */
    private static byte[] writeAll(VolumeDevice device, int seed) throws Exception {
        byte[] data = pattern((int) SIZE, seed);
        for (int at = 0; at < SIZE; at += 4 * BLOCK) {
            device.write(at, data, at, 4 * BLOCK, false);
        }
        return data;
    }

    /** Cleans until a pass finds nothing to do, then checks that one more pass changes nothing. */
    private static void cleanToTheEnd(VolumeStore store, Path dir) {
        for (int pass = 0; pass < 10; pass++) {
            BlockLogCleaner.Result result = store.cleanLog();
            if (result.segmentsDeleted() == 0 && result.recordsMoved() == 0) {
                break;
            }
        }
        TreeMap<Integer, Long> before = RawBlocks.segments(dir);
        assertThat(store.cleanLog()).as("a pass with nothing to do").isEqualTo(new BlockLogCleaner.Result(0, 0, 0));
        assertThat(RawBlocks.segments(dir)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void overwrittenSegmentsAreDeletedAndEveryBlockKeepsItsLatestData(boolean sealed) throws Exception {
        int rounds = 8;
        byte[] latest = null;
        Set<Integer> deadAfterLastRound = Set.of();
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                for (int round = 0; round < rounds; round++) {
                    if (round == rounds - 1) {
                        // Everything appended so far is overwritten by the last round.
                        deadAfterLastRound = closedSegments();
                    }
                    latest = writeAll(device, round);
                }
                // Background passes may have taken older rounds' segments already; the ones holding only the
                // round before the last (16 appends, at most 4 to a segment) were all live when listed.
                assertThat(deadAfterLastRound).hasSizeGreaterThanOrEqualTo(2);
                store.cleanLog();
                assertThat(RawBlocks.segments(dir).keySet()).doesNotContainAnyElementsOf(deadAfterLastRound);
                long live = (long) BLOCKS * recordBytes(sealed);
                long appended = rounds * live;
                // After a pass every segment but the active one (and one it may have rolled from) is over half live.
                assertThat(RawBlocks.totalSegmentBytes(dir)).isLessThanOrEqualTo(2 * live + 2 * (SEGMENT + live))
                        .isLessThan(appended);
                assertThat(read(device, 0, (int) SIZE)).isEqualTo(latest);
                cleanToTheEnd(store, dir);
                assertThat(read(device, 0, (int) SIZE)).isEqualTo(latest);
            }
        }
        try (VolumeStore store = open(); VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
            assertThat(read(device, 0, (int) SIZE)).isEqualTo(latest);
            store.cleanLog();
            assertThat(read(device, 0, (int) SIZE)).isEqualTo(latest);
        }
    }

    @Test
    void aPassWithNothingToDoDeletesAndMovesNothing() throws Exception {
        byte[] data;
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                data = writeAll(device, 1);
            }
        }
        try (VolumeStore store = open()) {
            TreeMap<Integer, Long> before = RawBlocks.segments(dir);
            assertThat(before).hasSizeGreaterThan(2);
            assertThat(store.cleanLog()).isEqualTo(new BlockLogCleaner.Result(0, 0, 0));
            assertThat(store.cleanLog()).isEqualTo(new BlockLogCleaner.Result(0, 0, 0));
            assertThat(RawBlocks.segments(dir)).isEqualTo(before);
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                assertThat(read(device, 0, (int) SIZE)).isEqualTo(data);
            }
        }
    }

    /**
     * A snapshot's records sit among records that die (another volume's overwrites, then that volume
     * is deleted; the snapshot's volume is overwritten): their segments are a quarter live, so the
     * cleaner must move the snapshot's records, not drop them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSnapshotKeepsItsDataThroughCleaning(boolean sealed) throws Exception {
        byte[] snapshotted = new byte[(int) SIZE];
        byte[] after;
        Set<Integer> mixed;
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            store.createVolume("vol-b", 3 * SIZE, BLOCK, Optional.empty());
            try (VolumeDevice a = store.open("vol-a", VOLUME.codec(sealed))) {
                try (VolumeDevice b = store.open("vol-b", BlockCodec.plaintext())) {
                    // All live until the snapshot and the delete, so no pass touches these segments before.
                    for (int i = 0; i < BLOCKS; i++) {
                        byte[] block = pattern(BLOCK, 1000 + i);
                        a.write((long) i * BLOCK, block, 0, BLOCK, false);
                        System.arraycopy(block, 0, snapshotted, i * BLOCK, BLOCK);
                        b.write(3L * i * BLOCK, pattern(3 * BLOCK, i), 0, 3 * BLOCK, false);
                    }
                }
                mixed = closedSegments();
                assertThat(mixed).hasSizeGreaterThan(3);
                store.createSnapshot("vol-a", "snap-a");
                after = writeAll(a, 2);
            }
            store.deleteVolume("vol-b");
            cleanToTheEnd(store, dir);
            assertThat(RawBlocks.segments(dir).keySet()).as("the quarter-live segments are cleaned")
                    .doesNotContainAnyElementsOf(mixed);
            assertSnapshotReads(store, "snap-a", sealed, snapshotted, "vol-from-snap");
            store.copySnapshot("snap-a", VOLUME.codec(sealed), "snap-copy", Optional.of("snap-copy"),
                    TestCodecs.sealed(KEY, "snap-copy", BLOCK), p -> { });
            try (VolumeDevice a = store.open("vol-a", VOLUME.codec(sealed))) {
                assertThat(read(a, 0, (int) SIZE)).isEqualTo(after);
            }
        }
        try (VolumeStore store = open()) {
            store.cleanLog();
            assertSnapshotReads(store, "snap-a", sealed, snapshotted, "vol-from-snap-2");
            store.createVolumeFromSnapshot("vol-from-copy", "snap-copy", SIZE);
            try (VolumeDevice copy = store.open("vol-from-copy", TestCodecs.sealed(KEY, "snap-copy", BLOCK));
                 VolumeDevice a = store.open("vol-a", VOLUME.codec(sealed))) {
                assertThat(read(copy, 0, (int) SIZE)).isEqualTo(snapshotted);
                assertThat(read(a, 0, (int) SIZE)).isEqualTo(after);
            }
        }
    }

    private static void assertSnapshotReads(VolumeStore store, String snapshot, boolean sealed, byte[] expected, String clone)
            throws Exception {
        store.createVolumeFromSnapshot(clone, snapshot, SIZE);
        try (VolumeDevice device = store.open(clone, VOLUME.codec(sealed))) {
            assertThat(read(device, 0, (int) SIZE)).as("%s read through %s", snapshot, clone).isEqualTo(expected);
        }
    }

    @Test
    void deletingASnapshotThenTheVolumesFreesTheirSegments() throws Exception {
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            byte[] first;
            byte[] second;
            Set<Integer> firstSegments;
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                first = writeAll(device, 1);
                firstSegments = closedSegments();
                store.createSnapshot("vol-a", "snap-1");
                store.createVolumeFromSnapshot("vol-c", "snap-1", SIZE);
                second = writeAll(device, 2);
            }
            assertThat(firstSegments).hasSizeGreaterThan(1);
            store.cleanLog();
            assertThat(RawBlocks.segments(dir)).as("the snapshot's records are live").containsKeys(firstSegments.toArray(Integer[]::new));

            // The clone still reads the snapshot's blocks: deleting the snapshot frees nothing of them.
            store.deleteSnapshot("snap-1");
            store.cleanLog();
            assertThat(RawBlocks.segments(dir)).containsKeys(firstSegments.toArray(Integer[]::new));
            try (VolumeDevice clone = store.open("vol-c", BlockCodec.plaintext())) {
                assertThat(read(clone, 0, (int) SIZE)).isEqualTo(first);
            }

            long before = RawBlocks.totalSegmentBytes(dir);
            store.deleteVolume("vol-c");
            store.cleanLog();
            assertThat(RawBlocks.segments(dir).keySet()).doesNotContainAnyElementsOf(firstSegments);
            assertThat(RawBlocks.totalSegmentBytes(dir)).isLessThan(before);
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                assertThat(read(device, 0, (int) SIZE)).isEqualTo(second);
            }

            store.deleteVolume("vol-a");
            store.cleanLog();
            assertThat(store.storedBlockCount()).isZero();
            assertThat(RawBlocks.segments(dir)).as("only the active segment is left").hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trimmedAndZeroedBlocksAreDeadRecords(boolean sealed) throws Exception {
        byte[] expected = new byte[(int) SIZE];
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                byte[] data = writeAll(device, 3);
                Set<Integer> written = closedSegments();
                assertThat(written).hasSizeGreaterThan(1);
                int half = BLOCKS / 2;
                device.trim(BLOCK, (half - 1L) * BLOCK, false);
                device.writeZeroes((long) half * BLOCK, (half - 1L) * BLOCK, false);
                System.arraycopy(data, 0, expected, 0, BLOCK);
                System.arraycopy(data, (BLOCKS - 1) * BLOCK, expected, (BLOCKS - 1) * BLOCK, BLOCK);
                store.cleanLog();
                assertThat(RawBlocks.segments(dir).keySet()).doesNotContainAnyElementsOf(written);
                assertThat(read(device, 0, (int) SIZE)).isEqualTo(expected);
            }
            assertThat(store.storedBlockCount()).isEqualTo(2);
        }
        try (VolumeStore store = open(); VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
            assertThat(read(device, 0, (int) SIZE)).isEqualTo(expected);
        }
    }

    /**
     * Writers (whole blocks, partial blocks read-modify-written, trims), readers (blocking and
     * non-blocking) and a thread that cleans the log over and over, taking and deleting snapshots
     * between passes. Every 512-byte sector a writer writes names its block, sector and a version, so
     * a reader can tell a torn, misplaced, lost or stale sector; at the end every block reads as the
     * model says, before and after a reopen.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writersAndReadersRunWhileTheLogIsCleanedOverAndOver(boolean sealed) throws Exception {
        int blocks = 64;
        int writers = 4;
        int opsPerWriter = 500;
        Concurrent run = new Concurrent(blocks);
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", (long) blocks * BLOCK, BLOCK, VOLUME.binding(sealed));
            ExecutorService pool = Executors.newFixedThreadPool(writers + 3);
            try (VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
                AtomicBoolean done = new AtomicBoolean();
                List<Future<?>> writing = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int owner = w;
                    writing.add(pool.submit(() -> {
                        run.write(device, owner, writers, opsPerWriter, new Random(owner));
                        return null;
                    }));
                }
                List<Future<?>> others = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    long seed = 100 + r;
                    others.add(pool.submit(() -> {
                        run.read(device, done, new Random(seed));
                        return null;
                    }));
                }
                AtomicLong passes = new AtomicLong();
                others.add(pool.submit(() -> {
                    List<String> snapshots = new ArrayList<>();
                    while (!done.get()) {
                        store.cleanLog();
                        long n = passes.incrementAndGet();
                        if (n % 5 == 0) {
                            store.createSnapshot("vol-a", "snap-" + n);
                            snapshots.add("snap-" + n);
                            if (snapshots.size() > 2) {
                                store.deleteSnapshot(snapshots.removeFirst());
                            }
                        }
                    }
                    return null;
                }));
                for (Future<?> f : writing) {
                    f.get(60, TimeUnit.SECONDS);
                }
                done.set(true);
                for (Future<?> f : others) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertThat(run.failures).as("what the readers saw").isEmpty();
                // Cleaning kept up while they ran (this thread's passes or the background ones, which a
                // roll schedules and which may win the store's monitor most of the time): segment ids
                // count up from 1, so the newest id is how many segments were ever started.
                TreeMap<Integer, Long> left = RawBlocks.segments(dir);
                assertThat(left.size()).as("segments left of %d started", left.lastKey()).isLessThan(left.lastKey() / 2);
                assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(run.model);
                cleanToTheEnd(store, dir);
                assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(run.model);
                long live = (long) blocks * recordBytes(sealed) * 3; // the head and at most two snapshots
                assertThat(RawBlocks.totalSegmentBytes(dir)).isLessThanOrEqualTo(2 * live + 2 * (SEGMENT + live));
            } finally {
                pool.shutdownNow();
            }
        }
        try (VolumeStore store = open(); VolumeDevice device = store.open("vol-a", VOLUME.codec(sealed))) {
            assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(run.model);
        }
    }

    /** The shared state of the concurrent test: versions per 512-byte sector, and the model of the volume. */
    private static final class Concurrent {
        static final int SECTOR = 512;
        static final int PER_BLOCK = BLOCK / SECTOR;
        final int blocks;
        final byte[] model;
        final AtomicLong versions = new AtomicLong();
        /** Per sector: the version of the last operation that completed on it, the newest one started, the newest trim started. */
        final AtomicLongArray committed;
        final AtomicLongArray started;
        final AtomicLongArray trimStarted;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Concurrent(int blocks) {
            this.blocks = blocks;
            this.model = new byte[blocks * BLOCK];
            int sectors = blocks * PER_BLOCK;
            committed = new AtomicLongArray(sectors);
            started = new AtomicLongArray(sectors);
            trimStarted = new AtomicLongArray(sectors);
        }

        static void fillSector(byte[] into, int at, long sector, long version) {
            ByteBuffer b = ByteBuffer.wrap(into, at, SECTOR);
            b.putLong(sector).putLong(version);
            long x = sector * 0x9E3779B97F4A7C15L ^ version;
            while (b.hasRemaining()) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                b.putLong(x);
            }
        }

        /** Writer {@code owner} owns blocks [owner * share, +share): only it changes them, so its model is exact. */
        void write(VolumeDevice device, int owner, int writers, int ops, Random random) throws Exception {
            int share = blocks / writers;
            int firstSector = owner * share * PER_BLOCK;
            int sectors = share * PER_BLOCK;
            for (int op = 0; op < ops; op++) {
                int kind = random.nextInt(10);
                int from;
                int count;
                if (kind < 6) { // whole blocks
                    int n = 1 + random.nextInt(3);
                    from = firstSector + random.nextInt(share - n + 1) * PER_BLOCK;
                    count = n * PER_BLOCK;
                } else { // sectors: a partial write or trim, which may span a block boundary
                    count = 1 + random.nextInt(2 * PER_BLOCK);
                    from = firstSector + random.nextInt(sectors - count + 1);
                }
                boolean trim = kind == 9;
                boolean fua = random.nextInt(50) == 0;
                long version = versions.incrementAndGet();
                byte[] data = new byte[count * SECTOR];
                for (int s = 0; s < count; s++) {
                    started.set(from + s, version);
                    if (trim) {
                        trimStarted.set(from + s, version);
                    } else {
                        fillSector(data, s * SECTOR, from + s, version);
                    }
                }
                if (trim) {
                    device.trim((long) from * SECTOR, (long) count * SECTOR, fua);
                } else {
                    device.write((long) from * SECTOR, data, 0, data.length, fua);
                }
                System.arraycopy(data, 0, model, from * SECTOR, data.length);
                for (int s = 0; s < count; s++) {
                    committed.set(from + s, version);
                }
            }
        }

        void read(VolumeDevice device, AtomicBoolean done, Random random) {
            byte[] expected = new byte[SECTOR];
            while (!done.get()) {
                int n = 1 + random.nextInt(3);
                int first = random.nextInt(blocks - n + 1);
                int from = first * PER_BLOCK;
                int count = n * PER_BLOCK;
                long[] floor = new long[count];
                for (int s = 0; s < count; s++) {
                    floor[s] = committed.get(from + s);
                }
                byte[] out = new byte[n * BLOCK];
                try {
                    if (n <= 2 && random.nextBoolean()) {
                        if (!device.tryReadWithoutBlocking((long) first * BLOCK, out, 0, out.length)) {
                            continue;
                        }
                    } else {
                        device.read((long) first * BLOCK, out, 0, out.length);
                    }
                } catch (Exception e) {
                    failures.add("read of blocks " + first + "+" + n + " failed: " + e);
                    continue;
                }
                for (int s = 0; s < count; s++) {
                    int sector = from + s;
                    ByteBuffer b = ByteBuffer.wrap(out, s * SECTOR, SECTOR);
                    long name = b.getLong();
                    long version = b.getLong();
                    if (name == 0 && version == 0 && Arrays.equals(out, s * SECTOR, (s + 1) * SECTOR, new byte[SECTOR], 0, SECTOR)) {
                        if (floor[s] != 0 && trimStarted.get(sector) < floor[s]) {
                            failures.add("sector " + sector + " read as zeros after version " + floor[s] + " completed");
                        }
                        continue;
                    }
                    fillSector(expected, 0, sector, version);
                    if (name != sector || !Arrays.equals(out, s * SECTOR, (s + 1) * SECTOR, expected, 0, SECTOR)) {
                        failures.add("sector " + sector + " is torn or misplaced (names sector " + name + ")");
                    } else if (version < floor[s] || version > started.get(sector)) {
                        failures.add("sector " + sector + " read version " + version + ", outside [" + floor[s] + ", "
                                + started.get(sector) + "]");
                    }
                }
                if (failures.size() > 20) {
                    return;
                }
            }
        }
    }

    /**
     * With segments smaller than one append, every write starts a new segment, so segments are
     * created while a pass runs. A pass must take only segments that were closed for appends before
     * it began (their writes have all committed their pointers by the time it counts live bytes):
     * a newer segment may hold records whose pointers are not in the table yet, and the active
     * segment can never be deleted.
     */
    @Test
    void aPassNeverTakesASegmentStartedWhileItRan() throws Exception {
        VolumeStoreConfig everyAppendRolls = new VolumeStoreConfig(VolumeStoreConfig.MIN_BLOCK_CACHE_SIZE_BYTES, 1);
        int perWriter = 150;
        int blocks = 2 * perWriter;
        byte[] model = new byte[blocks * BLOCK];
        try (VolumeStore store = VolumeStore.open(dir, everyAppendRolls)) {
            store.createVolume("vol-a", (long) blocks * BLOCK, BLOCK, Optional.empty());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                AtomicBoolean done = new AtomicBoolean();
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int owner = w;
                    writers.add(pool.submit(() -> {
                        // Each block once, so a record whose pointer is lost is never hidden by a later write;
                        // every fourth block is written twice, so there are dead records to clean too.
                        for (int n = 0; n < perWriter; n++) {
                            int block = owner * perWriter + n;
                            for (int k = block % 4 == 0 ? 0 : 1; k < 2; k++) {
                                byte[] data = pattern(BLOCK, block * 2 + k);
                                // FUA syncs the log between the append and the pointer's commit: a wide window.
                                device.write((long) block * BLOCK, data, 0, BLOCK, n % 2 == 0);
                                System.arraycopy(data, 0, model, block * BLOCK, BLOCK);
                            }
                        }
                        return null;
                    }));
                }
                Future<?> cleaner = pool.submit(() -> {
                    while (!done.get()) {
                        store.cleanLog();
                    }
                    return null;
                });
                for (Future<?> f : writers) {
                    f.get(60, TimeUnit.SECONDS);
                }
                done.set(true);
                cleaner.get(60, TimeUnit.SECONDS);
                assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(model);
                store.cleanLog();
                assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(model);
            } finally {
                pool.shutdownNow();
            }
        }
        try (VolumeStore store = VolumeStore.open(dir, everyAppendRolls);
             VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
            assertThat(read(device, 0, blocks * BLOCK)).isEqualTo(model);
        }
    }

    @Test
    void theLiveBytesOfEverySegmentThatIsLeftAreOverHalfOfIt() throws Exception {
        try (VolumeStore store = open()) {
            store.createVolume("vol-a", SIZE, BLOCK, Optional.empty());
            try (VolumeDevice device = store.open("vol-a", BlockCodec.plaintext())) {
                Random random = new Random(5);
                for (int n = 0; n < 200; n++) {
                    int block = random.nextInt(BLOCKS);
                    device.write((long) block * BLOCK, pattern(BLOCK, n), 0, BLOCK, false);
                }
            }
            cleanToTheEnd(store, dir);
        }
        int active = RawBlocks.segments(dir).lastKey();
        try (RawBlocks raw = new RawBlocks(dir)) {
            Map<Integer, Long> live = raw.liveBytes();
            for (Map.Entry<Integer, Long> segment : RawBlocks.segments(dir).entrySet()) {
                if (segment.getKey() != active) {
                    assertThat(live.getOrDefault(segment.getKey(), 0L)).as("live bytes of segment %d", segment.getKey())
                            .isGreaterThan(segment.getValue() / 2);
                }
            }
            assertThat(live.keySet()).as("every pointer names a segment that exists")
                    .isSubsetOf(RawBlocks.segments(dir).keySet());
        }
    }
}

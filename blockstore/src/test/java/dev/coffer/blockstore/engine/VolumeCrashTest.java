package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies without closing anything keeps every write it flushed or made with FUA: the
 * block log's records and RocksDB's pointers to them, also when the cleaner has moved records and
 * deleted segments before the death, or is moving them when it comes.
 */
class VolumeCrashTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 64;
    private static final byte[] KEY = TestCodecs.dataKey(5);
    /** Small segments, so the writes below fill several and the cleaner has segments to take. */
    private static final VolumeStoreConfig SMALL_SEGMENTS =
            new VolumeStoreConfig(VolumeStoreConfig.MIN_BLOCK_CACHE_SIZE_BYTES, 64 << 10);

    @TempDir
    Path dir;

    /** Run in a child JVM: {@code <store dir> writes|cleaning [ack file]}; halts without closing. */
    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        switch (args[1]) {
            case "writes" -> writesThenHalt(store);
            case "cleaning" -> haltWhileCleaning(store, Path.of(args[2]));
            default -> throw new IllegalArgumentException(args[1]);
        }
        Runtime.getRuntime().halt(0);
    }

    /**
     * Writes (some overwritten, so the first segment is mostly dead), flushes, writes with FUA,
     * snapshots, cleans the log (block 60 moves, the first segment goes), and writes with FUA again.
     */
    private static void writesThenHalt(Path dir) throws Exception {
        VolumeStore store = VolumeStore.open(dir, SMALL_SEGMENTS);
        store.createVolume("vol-1", (long) BLOCKS * BLOCK, BLOCK, Optional.of("vol-1"));
        VolumeDevice device = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK));
        device.write(0, pattern(2 * BLOCK, 100), 0, 2 * BLOCK, false);
        device.write(16L * BLOCK, pattern(32 * BLOCK, 101), 0, 32 * BLOCK, false);
        device.write(60L * BLOCK, pattern(BLOCK, 6), 0, BLOCK, false);
        device.write(0, pattern(2 * BLOCK, 1), 0, 2 * BLOCK, false);
        device.write(5L * BLOCK + 3, pattern(100, 2), 0, 100, false);
        device.write(16L * BLOCK, pattern(32 * BLOCK, 4), 0, 32 * BLOCK, false);
        device.flush();
        device.write(9L * BLOCK, pattern(BLOCK, 3), 0, BLOCK, true);
        store.createSnapshot("vol-1", "snap-1");
        store.cleanLog();
        device.write(10L * BLOCK, pattern(BLOCK, 5), 0, BLOCK, true);
    }

    @Test
    void keepsFlushedAndFuaWritesAfterTheProcessDies() throws Exception {
        runChild(dir.toString(), "writes");
        byte[] expected = new byte[BLOCKS * BLOCK];
        System.arraycopy(pattern(2 * BLOCK, 1), 0, expected, 0, 2 * BLOCK);
        System.arraycopy(pattern(100, 2), 0, expected, 5 * BLOCK + 3, 100);
        System.arraycopy(pattern(BLOCK, 3), 0, expected, 9 * BLOCK, BLOCK);
        System.arraycopy(pattern(32 * BLOCK, 4), 0, expected, 16 * BLOCK, 32 * BLOCK);
        System.arraycopy(pattern(BLOCK, 6), 0, expected, 60 * BLOCK, BLOCK);
        byte[] snapshotted = expected.clone();
        System.arraycopy(pattern(BLOCK, 5), 0, expected, 10 * BLOCK, BLOCK);
        try (VolumeStore store = VolumeStore.open(dir, SMALL_SEGMENTS)) {
            try (VolumeDevice device = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK))) {
                assertThat(read(device, 0, 2 * BLOCK)).isEqualTo(pattern(2 * BLOCK, 1));
                assertThat(read(device, 5L * BLOCK + 3, 100)).isEqualTo(pattern(100, 2));
                assertThat(read(device, 9L * BLOCK, BLOCK)).isEqualTo(pattern(BLOCK, 3));
                assertThat(read(device, 0, BLOCKS * BLOCK)).isEqualTo(expected);
            }
            assertThat(store.sizeBytes("snap-1")).isEqualTo((long) BLOCKS * BLOCK);
            store.createVolumeFromSnapshot("vol-2", "snap-1", (long) BLOCKS * BLOCK);
            try (VolumeDevice clone = store.open("vol-2", TestCodecs.sealed(KEY, "vol-1", BLOCK))) {
                assertThat(read(clone, 0, BLOCKS * BLOCK)).isEqualTo(snapshotted);
            }
        }
        // The blocks are log records behind pointers: what the test checked is the block log's durability.
        try (RawBlocks raw = new RawBlocks(dir)) {
            for (long index : new long[] {0, 1, 5, 9, 16, 47, 60}) {
                assertThat(raw.recordValue(1, index, 1)).as("record of block %d", index).hasSize(BLOCK + 45);
            }
            assertThat(raw.recordValue(1, 10, 2)).hasSize(BLOCK + 45);
        }
    }

    /**
     * vol-1's blocks are interleaved in the log with a scratch volume's, flushed, and then the scratch
     * volume is overwritten while a thread cleans over and over, so vol-1's records are being moved
     * when the process halts; meanwhile vol-1 takes FUA writes, each acknowledged to a file once it
     * returns.
     */
    private static void haltWhileCleaning(Path dir, Path acks) throws Exception {
        VolumeStore store = VolumeStore.open(dir, SMALL_SEGMENTS);
        store.createVolume("vol-1", (long) BLOCKS * BLOCK, BLOCK, Optional.of("vol-1"));
        store.createVolume("vol-scratch", 2L * BLOCKS * BLOCK, BLOCK, Optional.empty());
        VolumeDevice device = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK));
        VolumeDevice scratch = store.open("vol-scratch", BlockCodec.plaintext());
        for (int i = 0; i < BLOCKS; i++) {
            device.write((long) i * BLOCK, versioned(i, 0), 0, BLOCK, false);
            scratch.write(2L * i * BLOCK, pattern(2 * BLOCK, i), 0, 2 * BLOCK, false);
        }
        device.flush();
        Thread cleaner = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                store.cleanLog();
            }
        });
        Random random = new Random();
        long haltAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(300));
        try (FileOutputStream ack = new FileOutputStream(acks.toFile())) {
            for (int version = 1; System.nanoTime() < haltAt; version++) {
                int block = random.nextInt(BLOCKS);
                device.write((long) block * BLOCK, versioned(block, version), 0, BLOCK, true);
                ack.write((block + " " + version + "\n").getBytes(StandardCharsets.US_ASCII));
                for (int k = 0; k < 4; k++) {
                    int at = random.nextInt(2 * BLOCKS);
                    scratch.write((long) at * BLOCK, pattern(BLOCK, version * 4 + k), 0, BLOCK, false);
                }
            }
        }
        assertThat(cleaner.isAlive()).isTrue();
    }

    /** A block that names its index and version in every long. */
    private static byte[] versioned(int block, int version) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        while (b.hasRemaining()) {
            b.putLong((long) block << 32 | version);
        }
        return b.array();
    }

    @Test
    void keepsFlushedAndFuaWritesWhenTheProcessDiesWhileTheCleanerMovesThem() throws Exception {
        Path store = dir.resolve("store");
        Path acks = dir.resolve("acks");
        runChild(store.toString(), "cleaning", acks.toString());
        Map<Integer, Integer> acked = new HashMap<>();
        for (String line : Files.readAllLines(acks)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            acked.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        assertThat(acked).as("FUA writes acknowledged before the halt").isNotEmpty();
        for (int reopen = 0; reopen < 2; reopen++) {
            try (VolumeStore opened = VolumeStore.open(store, SMALL_SEGMENTS);
                 VolumeDevice device = opened.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK))) {
                for (int i = 0; i < BLOCKS; i++) {
                    byte[] block = read(device, (long) i * BLOCK, BLOCK);
                    long word = ByteBuffer.wrap(block).getLong();
                    int version = (int) word;
                    assertThat(block).as("block %d", i).isEqualTo(versioned(i, version));
                    assertThat(version).as("version of block %d", i).isGreaterThanOrEqualTo(acked.getOrDefault(i, 0));
                }
                // A pass after the restart takes what the dead process left half done, and loses nothing.
                opened.cleanLog();
                byte[] all = read(device, 0, BLOCKS * BLOCK);
                for (int i = 0; i < BLOCKS; i++) {
                    byte[] block = Arrays.copyOfRange(all, i * BLOCK, (i + 1) * BLOCK);
                    assertThat(block).isEqualTo(versioned(i, (int) ByteBuffer.wrap(block).getLong()));
                    assertThat((int) ByteBuffer.wrap(block).getLong()).isGreaterThanOrEqualTo(acked.getOrDefault(i, 0));
                }
            }
        }
    }

    private static void runChild(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                VolumeCrashTest.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
    }
}

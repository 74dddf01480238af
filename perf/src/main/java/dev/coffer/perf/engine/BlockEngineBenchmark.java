package dev.coffer.perf.engine;

import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.engine.VolumeDevice;
import dev.coffer.blockstore.engine.VolumeStore;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.VolumeBlockCipher;
import dev.coffer.perf.BenchDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The volume engine ({@link VolumeStore}, its {@code RocksVolumeDevice}) in-process, on a store in a
 * scratch directory on the real disk ({@link BenchDirectories}): 4 KiB random writes and reads and
 * 1 MiB sequential writes to a 1 GiB volume, plaintext and encrypted (block seal format v1), beside
 * RocksDB opened with default options doing the same key-value work: a put or get of one 4 KiB value,
 * and a batch of 256 of them for 1 MiB. Writes are not synced (no FUA), in the engine and the
 * reference alike.
 *
 * <p>Random writes land anywhere in the first {@value #WRITE_SPAN_BYTES} bytes, random reads in the
 * {@value #READ_SPAN_BYTES} bytes written in the setup (and checked there); sequential writes wrap
 * around the write span. RocksDB's flushes and compactions run in the background while measuring,
 * as they do on a server; they are part of the cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockEngineBenchmark {
    static final int BLOCK = 4096;
    static final int SEQUENTIAL = 1 << 20;
    static final long VOLUME_BYTES = 1L << 30;
    static final long WRITE_SPAN_BYTES = 256L << 20;
    static final long READ_SPAN_BYTES = 64L << 20;

    /** Pseudo-random bytes: the cipher does not care, but RocksDB's reference would compress zeros. */
    static byte[] filler(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** One volume in its own store. */
    @State(Scope.Thread)
    public static class Volume {
        @Param({"plaintext", "encrypted"})
        public String codec;

        Path directory;
        VolumeStore store;
        VolumeDevice device;
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] data = filler(SEQUENTIAL, 1);
        final byte[] readOut = new byte[BLOCK];
        long sequentialOffset;

        @Setup
        public void setUp() throws IOException {
            directory = BenchDirectories.create("coffer-bench-engine-");
            store = VolumeStore.open(directory);
            boolean encrypted = switch (codec) {
                case "plaintext" -> false;
                case "encrypted" -> true;
                default -> throw new IllegalArgumentException("codec is plaintext or encrypted, not " + codec);
            };
            String id = "vol-0123456789abcdef0";
            store.createVolume(id, VOLUME_BYTES, BLOCK, encrypted ? Optional.of(id) : Optional.empty());
            BlockCodec blockCodec = encrypted
                    ? new BlockCodec.Sealed(new VolumeBlockCipher(SecretBytes.random(32, new SecureRandom()), id,
                            new BlockSealParameters(BLOCK), new SecureRandom()), id)
                    : BlockCodec.plaintext();
            device = store.open(id, blockCodec);
            for (long offset = 0; offset < READ_SPAN_BYTES; offset += SEQUENTIAL) {
                device.write(offset, data, 0, SEQUENTIAL, false);
            }
            byte[] back = new byte[SEQUENTIAL];
            device.read(READ_SPAN_BYTES - SEQUENTIAL, back, 0, SEQUENTIAL);
            if (!Arrays.equals(data, back)) {
                throw new IllegalStateException("the volume did not read back what was written");
            }
            device.read(VOLUME_BYTES - BLOCK, readOut, 0, BLOCK);
            if (!Arrays.equals(readOut, new byte[BLOCK])) {
                throw new IllegalStateException("a block never written did not read as zeros");
            }
        }

        @TearDown
        public void tearDown() {
            device.close();
            store.close();
            BenchDirectories.delete(directory);
        }
    }

    /** RocksDB with default options, in its own scratch directory, holding 64 MiB of 4 KiB values. */
    @State(Scope.Thread)
    public static class Rocks {
        Path directory;
        Options options;
        WriteOptions writeOptions;
        RocksDB db;
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] value = filler(BLOCK, 1);
        final byte[] valueOut = new byte[BLOCK];
        final byte[] key = new byte[8];
        long sequentialIndex;

        @Setup
        public void setUp() throws IOException, RocksDBException {
            RocksDB.loadLibrary();
            directory = BenchDirectories.create("coffer-bench-rocks-");
            options = new Options().setCreateIfMissing(true);
            writeOptions = new WriteOptions();
            db = RocksDB.open(options, directory.toString());
            for (long i = 0; i < READ_SPAN_BYTES / BLOCK; i++) {
                db.put(writeOptions, key(i), value);
            }
            if (db.get(key(READ_SPAN_BYTES / BLOCK - 1), valueOut) != BLOCK || !Arrays.equals(value, valueOut)) {
                throw new IllegalStateException("RocksDB did not read back what was written");
            }
        }

        byte[] key(long index) {
            for (int i = 0; i < 8; i++) {
                key[7 - i] = (byte) (index >>> (8 * i));
            }
            return key;
        }

        @TearDown
        public void tearDown() {
            db.close();
            writeOptions.close();
            options.close();
            BenchDirectories.delete(directory);
        }
    }

    @Benchmark
    public void engineRandomWrite4k(Volume v) throws IOException {
        v.device.write((long) v.random.nextInt((int) (WRITE_SPAN_BYTES / BLOCK)) * BLOCK, v.data, 0, BLOCK, false);
    }

    @Benchmark
    public byte[] engineRandomRead4k(Volume v) throws IOException {
        v.device.read((long) v.random.nextInt((int) (READ_SPAN_BYTES / BLOCK)) * BLOCK, v.readOut, 0, BLOCK);
        return v.readOut;
    }

    @Benchmark
    public void engineSequentialWrite1m(Volume v) throws IOException {
        v.device.write(v.sequentialOffset, v.data, 0, SEQUENTIAL, false);
        v.sequentialOffset = (v.sequentialOffset + SEQUENTIAL) % WRITE_SPAN_BYTES;
    }

    @Benchmark
    public void rocksPut4k(Rocks r) throws RocksDBException {
        r.db.put(r.writeOptions, r.key(r.random.nextInt((int) (WRITE_SPAN_BYTES / BLOCK))), r.value);
    }

    @Benchmark
    public int rocksGet4k(Rocks r) throws RocksDBException {
        return r.db.get(r.key(r.random.nextInt((int) (READ_SPAN_BYTES / BLOCK))), r.valueOut);
    }

    @Benchmark
    public void rocksBatchPut1m(Rocks r) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < SEQUENTIAL / BLOCK; i++) {
                batch.put(r.key(r.sequentialIndex), r.value);
                r.sequentialIndex = (r.sequentialIndex + 1) % (WRITE_SPAN_BYTES / BLOCK);
            }
            r.db.write(r.writeOptions, batch);
        }
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte-addressed I/O through a {@link VolumeDevice}, plaintext and sealed, on a real RocksDB. */
class VolumeDeviceTest {
    private static final int BLOCK = 4096;
    private static final long SIZE = 64L * BLOCK;
    private static final byte[] KEY = TestCodecs.dataKey(1);
    private static final TestCodecs.ForVolume VOLUME = new TestCodecs.ForVolume(KEY, "vol-1", BLOCK);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsAlignedPartialAndUnalignedWrites(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed))) {
                byte[] model = new byte[(int) SIZE];
                int[][] writes = {{0, BLOCK}, {BLOCK * 3, BLOCK * 5}, {100, 50}, {BLOCK - 7, 20}, {BLOCK * 10 + 1, BLOCK * 3},
                    {(int) SIZE - 13, 13}, {5 * BLOCK + 4095, 1}, {0, (int) SIZE}, {777, 3 * BLOCK + 5}};
                int seed = 0;
                for (int[] w : writes) {
                    byte[] data = pattern(w[1], seed++);
                    device.write(w[0], data, 0, w[1], false);
                    System.arraycopy(data, 0, model, w[0], w[1]);
                    assertThat(read(device, 0, (int) SIZE)).isEqualTo(model);
                }
                assertThat(read(device, 4093, 9)).isEqualTo(Arrays.copyOfRange(model, 4093, 4102));
                byte[] buffer = new byte[BLOCK + 20];
                device.read(BLOCK * 2 + 3, buffer, 10, BLOCK);
                assertThat(Arrays.copyOfRange(buffer, 10, 10 + BLOCK))
                        .isEqualTo(Arrays.copyOfRange(model, BLOCK * 2 + 3, BLOCK * 3 + 3));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void neverWrittenBlocksReadAsZeros(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed))) {
                device.write(BLOCK * 2, pattern(BLOCK, 1), 0, BLOCK, false);
                assertThat(read(device, 0, BLOCK * 2)).containsOnly(0);
                assertThat(read(device, BLOCK * 3, (int) SIZE - BLOCK * 3)).containsOnly(0);
                assertThat(store.storedBlockCount()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rejectsRangesPastTheEndWithEinvalAndKeepsWorking(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed))) {
                byte[] data = pattern(BLOCK, 3);
                assertErrno(() -> device.write(SIZE - 10, data, 0, 20, false), Errno.EINVAL);
                assertErrno(() -> device.read(SIZE, new byte[1], 0, 1), Errno.EINVAL);
                assertErrno(() -> device.read(-1, new byte[1], 0, 1), Errno.EINVAL);
                assertErrno(() -> device.trim(0, SIZE + 1, false), Errno.EINVAL);
                assertErrno(() -> device.writeZeroes(Long.MAX_VALUE, 2, false), Errno.EINVAL);
                device.write(SIZE - BLOCK, data, 0, BLOCK, false);
                assertThat(read(device, SIZE - BLOCK, BLOCK)).isEqualTo(data);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void keepsDataAcrossCloseAndReopenAfterFlushOrFua(boolean sealed) throws Exception {
        byte[] flushed = pattern(3 * BLOCK, 10);
        byte[] fua = pattern(100, 11);
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed));
            device.write(BLOCK, flushed, 0, flushed.length, false);
            device.flush();
            device.write(20 * BLOCK + 5, fua, 0, fua.length, true);
            device.close();
            assertErrno(() -> device.read(0, new byte[1], 0, 1), Errno.ESHUTDOWN);
            assertErrno(() -> device.write(0, new byte[1], 0, 1, false), Errno.ESHUTDOWN);
            assertErrno(device::flush, Errno.ESHUTDOWN);
        }
        try (VolumeStore store = VolumeStore.open(dir);
             VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed))) {
            assertThat(read(device, BLOCK, flushed.length)).isEqualTo(flushed);
            assertThat(read(device, 20 * BLOCK + 5, fua.length)).isEqualTo(fua);
            assertThat(store.sizeBytes("vol-1")).isEqualTo(SIZE);
            assertThat(store.bindingId("vol-1")).isEqualTo(VOLUME.binding(sealed));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void concurrentPartialWritersToOneBlockNeverLoseAnUpdate(boolean sealed) throws Exception {
        int writers = 8;
        int sector = 512;
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            try (VolumeDevice device = store.open("vol-1", VOLUME.codec(sealed))) {
                ExecutorService pool = Executors.newFixedThreadPool(writers);
                try {
                    for (int round = 0; round < 50; round++) {
                        int value = round + 1;
                        List<Future<?>> done = new ArrayList<>();
                        for (int w = 0; w < writers; w++) {
                            int slot = w;
                            done.add(pool.submit(() -> {
                                device.write(BLOCK * 5L + (long) slot * sector, TestCodecs.filled(sector, value), 0, sector, false);
                                return null;
                            }));
                        }
                        for (Future<?> f : done) {
                            f.get();
                        }
                        assertThat(read(device, BLOCK * 5L, BLOCK)).containsOnly(value);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refusesACodecOfTheWrongKindOrBinding(boolean sealed) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(sealed));
            BlockCodec wrongKind = sealed ? BlockCodec.plaintext() : TestCodecs.sealed(KEY, "vol-1", BLOCK);
            assertThatThrownBy(() -> store.open("vol-1", wrongKind)).isInstanceOf(IllegalArgumentException.class);
            if (sealed) {
                assertThatThrownBy(() -> store.open("vol-1", TestCodecs.sealed(KEY, "vol-2", BLOCK)))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", 512)))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            store.open("vol-1", VOLUME.codec(sealed)).close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsWithTheWrongKeyFailWithEioAndReturnNoBytes(boolean sealed) throws Exception {
        if (!sealed) {
            return;
        }
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", SIZE, BLOCK, VOLUME.binding(true));
            try (VolumeDevice device = store.open("vol-1", VOLUME.codec(true))) {
                device.write(0, pattern(2 * BLOCK, 5), 0, 2 * BLOCK, false);
            }
            try (VolumeDevice device = store.open("vol-1", TestCodecs.sealed(TestCodecs.dataKey(99), "vol-1", BLOCK))) {
                byte[] out = TestCodecs.filled(3 * BLOCK, 0x77);
                assertErrno(() -> device.read(0, out, 0, 3 * BLOCK), Errno.EIO);
                assertThat(out).containsOnly(0);
                assertErrno(() -> device.write(10, new byte[10], 0, 10, false), Errno.EIO);
            }
        }
    }

    interface Io {
        void run() throws Exception;
    }

    static void assertErrno(Io io, Errno errno) {
        assertThatThrownBy(io::run).isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    }
}

package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that dies without closing anything keeps every write it flushed or made with FUA. */
class VolumeCrashTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    /** Run in a child JVM: writes, flushes, writes with FUA, then halts without closing. */
    public static void main(String[] args) throws Exception {
        VolumeStore store = VolumeStore.open(Path.of(args[0]));
        store.createVolume("vol-1", 16L * BLOCK, BLOCK, Optional.of("vol-1"));
        VolumeDevice device = store.open("vol-1", TestCodecs.sealed(TestCodecs.dataKey(5), "vol-1", BLOCK));
        device.write(0, pattern(2 * BLOCK, 1), 0, 2 * BLOCK, false);
        device.write(5L * BLOCK + 3, pattern(100, 2), 0, 100, false);
        device.flush();
        device.write(9L * BLOCK, pattern(BLOCK, 3), 0, BLOCK, true);
        store.createSnapshot("vol-1", "snap-1");
        Runtime.getRuntime().halt(0);
    }

    @Test
    void keepsFlushedAndFuaWritesAfterTheProcessDies() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                VolumeCrashTest.class.getName(), dir.toString())).inheritIO().start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        try (VolumeStore store = VolumeStore.open(dir);
             VolumeDevice device = store.open("vol-1", TestCodecs.sealed(TestCodecs.dataKey(5), "vol-1", BLOCK))) {
            assertThat(read(device, 0, 2 * BLOCK)).isEqualTo(pattern(2 * BLOCK, 1));
            assertThat(read(device, 5L * BLOCK + 3, 100)).isEqualTo(pattern(100, 2));
            assertThat(read(device, 9L * BLOCK, BLOCK)).isEqualTo(pattern(BLOCK, 3));
            assertThat(store.sizeBytes("snap-1")).isEqualTo(16L * BLOCK);
        }
    }
}

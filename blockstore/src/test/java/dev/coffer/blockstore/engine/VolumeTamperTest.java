package dev.coffer.blockstore.engine;

import static dev.coffer.blockstore.engine.TestCodecs.pattern;
import static dev.coffer.blockstore.engine.TestCodecs.read;
import static dev.coffer.blockstore.engine.VolumeDeviceTest.assertErrno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the stored records of an encrypted volume, made directly in RocksDB while the store is
 * closed: every altered, swapped, moved or resized record reads as EIO, never as wrong data. Both
 * volumes use the same data key, so it is the binding id and block index that catch the moves.
 */
class VolumeTamperTest {
    private static final int BLOCK = 4096;
    private static final byte[] KEY = TestCodecs.dataKey(7);
    /** Space ids in creation order: vol-1 is space 1, vol-2 space 2; the first epoch is 1. */
    private static final long VOL1 = 1;
    private static final long VOL2 = 2;
    private static final long EPOCH = 1;

    @TempDir
    Path dir;

    private final byte[] data = pattern(6 * BLOCK, 1);

    @BeforeEach
    void writeTwoEncryptedVolumes() throws Exception {
        try (VolumeStore store = VolumeStore.open(dir)) {
            store.createVolume("vol-1", 8L * BLOCK, BLOCK, Optional.of("vol-1"));
            store.createVolume("vol-2", 8L * BLOCK, BLOCK, Optional.of("vol-2"));
            try (VolumeDevice one = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK));
                 VolumeDevice two = store.open("vol-2", TestCodecs.sealed(KEY, "vol-2", BLOCK))) {
                one.write(0, data, 0, data.length, false);
                two.write(0, pattern(BLOCK, 2), 0, BLOCK, false);
            }
        }
    }

    @Test
    void aFlippedByteInASealedBlockReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] value = raw.get(VOL1, 0, EPOCH);
            value[100] ^= 1;
            raw.put(VOL1, 0, EPOCH, value);
        }
        assertOnlyBlocksFail(0);
    }

    @Test
    void twoSwappedBlocksReadAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] one = raw.get(VOL1, 1, EPOCH);
            byte[] two = raw.get(VOL1, 2, EPOCH);
            raw.put(VOL1, 1, EPOCH, two);
            raw.put(VOL1, 2, EPOCH, one);
        }
        assertOnlyBlocksFail(1, 2);
    }

    @Test
    void aBlockMovedFromAnotherLineageReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            raw.put(VOL1, 3, EPOCH, raw.get(VOL2, 0, EPOCH));
            raw.put(VOL1, 7, EPOCH, raw.get(VOL2, 0, EPOCH));
        }
        assertOnlyBlocksFail(3, 7);
    }

    @Test
    void aTruncatedExtendedOrReversionedRecordReadsAsEio() throws Exception {
        try (RawBlocks raw = new RawBlocks(dir)) {
            byte[] value = raw.get(VOL1, 4, EPOCH);
            raw.put(VOL1, 4, EPOCH, Arrays.copyOf(value, value.length - 1));
            raw.put(VOL1, 5, EPOCH, Arrays.copyOf(raw.get(VOL1, 5, EPOCH), value.length + 1));
            byte[] versioned = raw.get(VOL1, 1, EPOCH);
            versioned[0] = 2;
            raw.put(VOL1, 1, EPOCH, versioned);
        }
        assertOnlyBlocksFail(1, 4, 5);
    }

    private void assertOnlyBlocksFail(int... failing) throws Exception {
        try (VolumeStore store = VolumeStore.open(dir);
             VolumeDevice device = store.open("vol-1", TestCodecs.sealed(KEY, "vol-1", BLOCK))) {
            for (int index = 0; index < 8; index++) {
                int i = index;
                if (Arrays.stream(failing).anyMatch(f -> f == i)) {
                    byte[] out = TestCodecs.filled(BLOCK, 0x55);
                    assertErrno(() -> device.read((long) i * BLOCK, out, 0, BLOCK), Errno.EIO);
                    assertThat(out).containsOnly(0);
                    assertErrno(() -> device.read((long) i * BLOCK + 10, new byte[10], 0, 10), Errno.EIO);
                } else {
                    byte[] expected = i < 6 ? Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK) : new byte[BLOCK];
                    assertThat(read(device, (long) i * BLOCK, BLOCK)).isEqualTo(expected);
                }
            }
            byte[] whole = TestCodecs.filled(8 * BLOCK, 0x55);
            assertErrno(() -> device.read(0, whole, 0, whole.length), Errno.EIO);
            assertThat(whole).containsOnly(0);
        }
    }
}

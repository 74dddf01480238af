package dev.coffer.blockstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoWaitFileReadsTest {
    @TempDir
    Path temp;

    @Test
    void linksOnLinux() {
        assertThat(NoWaitFileReads.available()).isTrue();
    }

    @Test
    void readsBytesThePageCacheHolds() throws Exception {
        byte[] content = new byte[64 << 10];
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("f"), content); // just written: in the page cache
        int fd = NoWaitFileReads.open(file);
        assertThat(fd).isNotNegative();
        try {
            byte[] into = new byte[5000];
            assertThat(NoWaitFileReads.read(fd, 12_345, into, 100, 4177)).isTrue();
            assertThat(Arrays.copyOfRange(into, 100, 100 + 4177)).isEqualTo(Arrays.copyOfRange(content, 12_345, 12_345 + 4177));
            assertThat(into[99]).isZero();
            assertThat(into[100 + 4177]).isZero();
        } finally {
            NoWaitFileReads.close(fd);
        }
    }

    @Test
    void aShortReadOrABadDescriptorIsAMiss() throws Exception {
        Path file = Files.write(temp.resolve("f"), new byte[1000]);
        int fd = NoWaitFileReads.open(file);
        try {
            assertThat(NoWaitFileReads.read(fd, 900, new byte[200], 0, 200)).as("past the end").isFalse();
        } finally {
            NoWaitFileReads.close(fd);
        }
        assertThat(NoWaitFileReads.read(-1, 0, new byte[10], 0, 10)).isFalse();
        assertThat(NoWaitFileReads.open(temp.resolve("missing"))).isEqualTo(-1);
    }
}

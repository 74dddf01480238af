package dev.coffer.blockstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFilesTest {
    @TempDir
    Path temp;

    @Test
    void writesAndReadsStraightFromAndIntoJavaArrays() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Path file = temp.resolve("f");
        int fd = NativeFiles.openReadWrite(file, true);
        try {
            NativeFiles.writeFully(fd, content, 1000, content.length - 1000, 5);
            NativeFiles.dataSync(fd);
            byte[] back = new byte[content.length];
            NativeFiles.readFully(fd, back, 1000, content.length - 1000, 5);
            assertThat(back).isEqualTo(withHead(content, 1000));
        } finally {
            NativeFiles.close(fd);
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize(5 + content.length - 1000);
        assertThat(Arrays.copyOfRange(onDisk, 5, onDisk.length)).isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
    }

    /** {@code content} with its first {@code head} bytes zeroed: what a read into a fresh array leaves there. */
    private static byte[] withHead(byte[] content, int head) {
        byte[] copy = content.clone();
        Arrays.fill(copy, 0, head, (byte) 0);
        return copy;
    }

    @Test
    void aReadPastTheEndOrOfAMissingFileIsAnIoException() throws Exception {
        Path file = Files.write(temp.resolve("f"), new byte[1000]);
        int fd = NativeFiles.openReadOnly(file);
        try {
            assertThatThrownBy(() -> NativeFiles.readFully(fd, new byte[200], 0, 200, 900))
                    .isInstanceOf(IOException.class).hasMessageContaining("ends at 1000");
        } finally {
            NativeFiles.close(fd);
        }
        assertThatThrownBy(() -> NativeFiles.openReadOnly(temp.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("errno 2");
        assertThatThrownBy(() -> NativeFiles.openReadWrite(file, true)).as("create refuses an existing file")
                .isInstanceOf(IOException.class).hasMessageContaining("errno 17");
    }

    @Test
    void anInterruptedThreadStillReadsAndWrites() throws Exception {
        Path file = temp.resolve("f");
        int fd = NativeFiles.openReadWrite(file, true);
        try {
            Thread.currentThread().interrupt();
            NativeFiles.writeFully(fd, new byte[] {1, 2, 3}, 0, 3, 0);
            byte[] back = new byte[3];
            NativeFiles.readFully(fd, back, 0, 3, 0);
            assertThat(back).containsExactly(1, 2, 3);
        } finally {
            assertThat(Thread.interrupted()).isTrue();
            NativeFiles.close(fd);
        }
    }

    @Test
    void readsWithoutWaitingWhatThePageCacheHolds() throws Exception {
        byte[] content = new byte[64 << 10];
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("f"), content); // just written: in the page cache
        int fd = NativeFiles.openReadOnly(file);
        try {
            byte[] into = new byte[5000];
            assertThat(NativeFiles.readIfCached(fd, into, 100, 4177, 12_345)).isTrue();
            assertThat(Arrays.copyOfRange(into, 100, 100 + 4177)).isEqualTo(Arrays.copyOfRange(content, 12_345, 12_345 + 4177));
            assertThat(into[99]).isZero();
            assertThat(into[100 + 4177]).isZero();
            assertThat(NativeFiles.readIfCached(fd, new byte[200], 0, 200, content.length - 100)).as("past the end").isFalse();
        } finally {
            NativeFiles.close(fd);
        }
        assertThat(NativeFiles.readIfCached(-1, new byte[10], 0, 10, 0)).isFalse();
    }
}

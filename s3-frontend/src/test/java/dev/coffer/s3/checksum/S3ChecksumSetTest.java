package dev.coffer.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3ChecksumSetTest {
    private static final byte[] DATA = S3ChecksumAlgorithmTest.random(200_000);

    @Test
    void computesEveryChecksumAndTheMd5InOnePass() throws Exception {
        S3ChecksumSet set = S3ChecksumSet.of(EnumSet.allOf(S3ChecksumAlgorithm.class), true);
        for (int offset = 0; offset < DATA.length; offset += 4099) {
            set.update(DATA, offset, Math.min(4099, DATA.length - offset));
        }
        assertThat(set.sizeBytes()).isEqualTo(DATA.length);
        for (S3ChecksumAlgorithm algorithm : S3ChecksumAlgorithm.values()) {
            assertThat(set.checksum(algorithm).digest()).as(algorithm.name()).isEqualTo(algorithm.digestOf(DATA, 0, DATA.length));
        }
        assertThat(set.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(DATA));
    }

    @Test
    void answersOnlyForWhatItComputes() {
        S3ChecksumSet set = S3ChecksumSet.of(Set.of(S3ChecksumAlgorithm.CRC32), false);
        assertThat(set.contains(S3ChecksumAlgorithm.CRC32)).isTrue();
        assertThat(set.contains(S3ChecksumAlgorithm.SHA256)).isFalse();
        assertThatThrownBy(() -> set.checksum(S3ChecksumAlgorithm.SHA256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(set::md5).isInstanceOf(IllegalStateException.class);
        S3ChecksumSet none = S3ChecksumSet.of(Set.of(), true);
        none.update(DATA, 0, 10);
        assertThat(none.md5()).hasSize(16);
    }

    @Test
    void checksummingStreamSeesEveryByteEvenWhenSkipped() throws IOException {
        S3ChecksumSet set = S3ChecksumSet.of(Set.of(S3ChecksumAlgorithm.CRC64NVME), true);
        try (S3ChecksummingInputStream in = new S3ChecksummingInputStream(new ByteArrayInputStream(DATA), set)) {
            assertThat(in.read()).isEqualTo(DATA[0] & 0xff);
            assertThat(in.skip(100_000)).isEqualTo(100_000);
            assertThat(in.readAllBytes()).hasSize(DATA.length - 100_001);
            assertThat(in.markSupported()).isFalse();
        }
        assertThat(set.sizeBytes()).isEqualTo(DATA.length);
        assertThat(set.checksum(S3ChecksumAlgorithm.CRC64NVME).digest())
                .isEqualTo(S3ChecksumAlgorithm.CRC64NVME.digestOf(DATA, 0, DATA.length));
    }

    @Test
    void updatesAllocateNothing() {
        S3ChecksumSet set = S3ChecksumSet.of(EnumSet.allOf(S3ChecksumAlgorithm.class), true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 1000; i++) {
            set.update(DATA, i, 64);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            set.update(DATA, i, 64);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // Ten thousand updates; a per-update allocation would show as hundreds of kilobytes.
        assertThat(allocated).isLessThan(16 * 1024);
    }
}

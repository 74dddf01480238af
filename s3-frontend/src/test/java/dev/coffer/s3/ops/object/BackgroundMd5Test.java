package dev.coffer.s3.ops.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The background MD5 against the JDK's MD5 over the same bytes, fed in pieces of many sizes. */
class BackgroundMd5Test {
    private static final int CHUNK = BackgroundMd5.CHUNK_BYTES;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * BackgroundMd5.CHUNKS * CHUNK + 12345})
    void theDigestIsTheMd5OfEveryByteInOrder(int size) throws Exception {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        Random pieces = new Random(7);
        try (BackgroundMd5 md5 = new BackgroundMd5(MessageDigest.getInstance("MD5"))) {
            int done = 0;
            while (done < size) {
                // pieces smaller and larger than a chunk, so chunks are split and filled part way
                int n = Math.min(size - done, 1 + pieces.nextInt(3 * CHUNK));
                md5.update(body, done, n);
                done += n;
            }
            assertThat(md5.digest()).isEqualTo(MessageDigest.getInstance("MD5").digest(body));
        }
    }

    @Test
    void closingAnUnfinishedUploadEndsTheHasher() throws Exception {
        BackgroundMd5 md5 = new BackgroundMd5(MessageDigest.getInstance("MD5"));
        md5.update(new byte[5 * CHUNK], 0, 5 * CHUNK);
        md5.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!md5.hasherEnded() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(md5.hasherEnded()).isTrue();
        assertThatThrownBy(() -> md5.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }
}

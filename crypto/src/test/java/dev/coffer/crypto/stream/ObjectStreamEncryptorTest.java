package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectStreamEncryptorTest {
    private static final SecretBytes DATA_KEY = SecretBytes.copyOf(ObjectStreamTamperKit.bytes(new Random(5), 32));
    private static final byte[] AAD = {1, 2, 3};
    private static final ObjectStreamParameters ONE_KIB = new ObjectStreamParameters(1024);
    private static final int HEADER = ObjectStreamV1.HEADER_SIZE_BYTES;

    private static ObjectStreamEncryptor start(long declaredLength) {
        return ObjectStreamEncryptor.start(ONE_KIB, DATA_KEY, AAD, declaredLength, new SecureRandom());
    }

    @Test
    void updateBeyondTheDeclaredLengthIsRefusedBeforeAnyOfItIsEncrypted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectStreamEncryptor encryptor = start(10);

        assertThatThrownBy(() -> encryptor.update(new byte[11], 0, 11, ByteSink.of(out)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declared 10 bytes");
        assertThat(out.size()).as("nothing was written").isZero();
    }

    @Test
    void excessSpreadOverSeveralUpdatesIsRefusedAtTheUpdateThatCrossesTheDeclaredLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectStreamEncryptor encryptor = start(2000);
        encryptor.update(new byte[1500], 0, 1500, ByteSink.of(out));
        int written = out.size();

        assertThatThrownBy(() -> encryptor.update(new byte[501], 0, 501, ByteSink.of(out)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declared 2000 bytes");
        assertThat(out.size()).isEqualTo(written);
    }

    @Test
    void finishingBeforeTheDeclaredLengthIsRefusedNamingBothCounts() throws IOException {
        ObjectStreamEncryptor encryptor = start(10);
        encryptor.update(new byte[5], 0, 5, (b, o, l) -> { });

        assertThatThrownBy(() -> encryptor.finish((b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 5 of the declared 10 bytes");
    }

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(longs = {100, ObjectStreamEncryptor.UNKNOWN_LENGTH})
    void updateAfterFinishIsRefused(long declaredLength) throws IOException {
        ObjectStreamEncryptor encryptor = start(declaredLength);
        encryptor.update(new byte[100], 0, 100, (b, o, l) -> { });
        encryptor.finish((b, o, l) -> { });

        assertThatThrownBy(() -> encryptor.update(new byte[1], 0, 1, (b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already finished");
        assertThatThrownBy(() -> encryptor.finish((b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already finished");
    }

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(longs = {100, ObjectStreamEncryptor.UNKNOWN_LENGTH})
    void closedEncryptorCannotBeContinued(long declaredLength) throws IOException {
        ObjectStreamEncryptor encryptor = start(declaredLength);
        encryptor.update(new byte[10], 0, 10, (b, o, l) -> { });
        encryptor.close();

        assertThatThrownBy(() -> encryptor.update(new byte[1], 0, 1, (b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encryptor.finish((b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ciphertextSizeIsOnlyKnownWhenTheLengthWasDeclared() {
        assertThat(start(5000).ciphertextSize()).isEqualTo(ObjectStreamV1.ciphertextSize(5000, 1024));
        assertThatThrownBy(() -> start(ObjectStreamEncryptor.UNKNOWN_LENGTH).ciphertextSize())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not declared");
    }

    @Test
    void refusesDeclaredLengthsThatAreNegativeOrTooLargeForOneStream() {
        assertThatThrownBy(() -> start(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> start(ObjectStreamV1.maxPlaintextSize(1024) + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesDataKeysThatAreNot32Bytes() {
        assertThatThrownBy(() -> ObjectStreamEncryptor.start(ONE_KIB, SecretBytes.copyOf(new byte[16]), AAD, 1,
                new SecureRandom())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void streamsUnderTheSameDataKeyGetFreshHeaders() throws IOException {
        byte[] a = encryptOnce(new byte[100]);
        byte[] b = encryptOnce(new byte[100]);
        assertThat(Arrays.copyOf(a, HEADER)).isNotEqualTo(Arrays.copyOf(b, HEADER));
        assertThat(a).isNotEqualTo(b);
    }

    private static byte[] encryptOnce(byte[] plaintext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectStreamEncryptor encryptor = start(plaintext.length)) {
            encryptor.update(plaintext, 0, plaintext.length, ByteSink.of(out));
            encryptor.finish(ByteSink.of(out));
        }
        return out.toByteArray();
    }

    /**
     * The memory bound, observed from outside: every push to the sink is at most one segment plus
     * 32 bytes (a tag and a GCM block of carry), and after each update the encryptor holds back at
     * most one segment of plaintext, however large the chunks it is given.
     */
    @ParameterizedTest(name = "segment {0} B, declared length: {1}, chunk {2} B")
    @CsvSource({
        "1024,    true,  8192",
        "1024,    false, 8192",
        "4096,    true,  1",
        "4096,    false, 4095",
        "65536,   true,  8192",
        "65536,   false, 8192",
        "65536,   true,  8388608",
        "65536,   false, 8388608",
        "1048576, true,  8388608",
        "1048576, false, 8192",
    })
    void neverPushesOrHoldsBackMoreThanOneSegment(int segmentSize, boolean declared, int chunkSize) throws IOException {
        int total = chunkSize == 1 ? 64 * 1024 : 8 * 1024 * 1024;
        byte[] chunk = new byte[Math.min(chunkSize, total)];
        new Random(1).nextBytes(chunk);
        List<Integer> pushes = new ArrayList<>();
        long[] pushed = {0};
        ByteSink sink = (bytes, offset, length) -> {
            pushes.add(length);
            pushed[0] += length;
        };
        ObjectStreamParameters parameters = new ObjectStreamParameters(segmentSize);
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, DATA_KEY, AAD,
                declared ? total : ObjectStreamEncryptor.UNKNOWN_LENGTH, new SecureRandom())) {
            long fed = 0;
            while (fed < total) {
                int n = (int) Math.min(chunk.length, total - fed);
                encryptor.update(chunk, 0, n, sink);
                fed += n;
                assertThat(fed - pushed[0]).as("plaintext held back after %d bytes", fed).isLessThanOrEqualTo(segmentSize);
            }
            encryptor.finish(sink);
        }

        assertThat(pushed[0]).isEqualTo(ObjectStreamV1.ciphertextSize(total, segmentSize));
        // The sink path works in slices of at most 64 KiB of plaintext: each push is bounded by that.
        int slice = 64 * 1024;
        assertThat(pushes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(
                HEADER + Math.max(slice, segmentSize) + 16 * (slice / segmentSize + 2) + 32));
    }
}

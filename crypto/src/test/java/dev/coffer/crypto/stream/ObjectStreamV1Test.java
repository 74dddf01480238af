package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectStreamV1Test {
    private static final int S = 1024;

    @Test
    void emptyPlaintextIsOneEmptySegmentThatIsJustATag() {
        assertThat(ObjectStreamV1.segmentCount(0, S)).isEqualTo(1);
        assertThat(ObjectStreamV1.ciphertextSize(0, S)).isEqualTo(44 + 16);
    }

    @Test
    void exactMultipleOfTheSegmentSizeEndsWithAFullSegmentNotAnEmptyOne() {
        assertThat(ObjectStreamV1.segmentCount(3 * S, S)).isEqualTo(3);
        assertThat(ObjectStreamV1.ciphertextSize(3 * S, S)).isEqualTo(44 + 3 * (S + 16));
        assertThat(ObjectStreamV1.segmentCount(3 * S + 1, S)).isEqualTo(4);
    }

    /** Every ciphertext size up to 20 segments: accepted exactly when some plaintext size maps to it. */
    @Test
    void plaintextSizeAcceptsExactlyTheSizesThatCiphertextSizeProduces() throws CiphertextRejectedException {
        Map<Long, Long> image = new HashMap<>();
        for (long p = 0; p <= 20L * S; p++) {
            image.put(ObjectStreamV1.ciphertextSize(p, S), p);
        }
        long checkedUpTo = ObjectStreamV1.ciphertextSize(20L * S, S) + S + 100;
        for (long c = -100; c <= checkedUpTo; c++) {
            Long p = image.get(c);
            if (p != null) {
                assertThat(ObjectStreamV1.plaintextSize(c, S)).as("plaintextSize(%d)", c).isEqualTo(p);
            } else if (c < ObjectStreamV1.ciphertextSize(20L * S, S)) {
                assertRejected(c, S);
            }
        }
    }

    @Test
    void plaintextSizeAcceptsTheLargestStreamAndNothingBeyondIt() throws CiphertextRejectedException {
        long max = ObjectStreamV1.maxPlaintextSize(S);
        long largest = ObjectStreamV1.ciphertextSize(max, S);
        assertThat(ObjectStreamV1.plaintextSize(largest, S)).isEqualTo(max);
        for (long extra = 1; extra <= 2 * (S + 16); extra++) {
            assertRejected(largest + extra, S);
        }
        assertThatThrownBy(() -> ObjectStreamV1.ciphertextSize(max + 1, S)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Sizes near the ends of the long range must not overflow into a plausible plaintext size. The
     * arithmetic overflows within one segment of Long.MAX_VALUE, so besides the first thousand
     * values at each end, random values within a few segments of each end are tried.
     */
    @ParameterizedTest
    @ValueSource(ints = {1024, 65536, 16 * 1024 * 1024})
    void plaintextSizeRejectsSizesAtTheEndsOfTheLongRange(int segmentSize) {
        Random random = new Random(segmentSize);
        long span = 4L * (segmentSize + 16);
        for (long d = 0; d < 1_000; d++) {
            for (long size : new long[] {Long.MAX_VALUE - d, Long.MIN_VALUE + d, -d}) {
                assertRejected(size, segmentSize);
            }
        }
        for (int i = 0; i < 5_000; i++) {
            long d = Math.floorMod(random.nextLong(), span);
            assertRejected(Long.MAX_VALUE - d, segmentSize);
            assertRejected(Long.MIN_VALUE + d, segmentSize);
        }
    }

    @Test
    void segmentNonceIsThePrefixThenTheBigEndianIndexThenTheLastFlag() {
        byte[] prefix = HexFormat.of().parseHex("a0a1a2a3a4a5a6");

        assertThat(HexFormat.of().formatHex(ObjectStreamV1.segmentNonce(prefix, 0x01020304L, false)))
                .isEqualTo("a0a1a2a3a4a5a6" + "01020304" + "00");
        assertThat(HexFormat.of().formatHex(ObjectStreamV1.segmentNonce(prefix, 0xfffffffeL, true)))
                .isEqualTo("a0a1a2a3a4a5a6" + "fffffffe" + "01");
    }

    @Test
    void segmentNonceRefusesIndicesOutsideTheUnsigned32BitCounter() {
        byte[] prefix = new byte[7];
        assertThatThrownBy(() -> ObjectStreamV1.segmentNonce(prefix, -1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStreamV1.segmentNonce(prefix, ObjectStreamV1.MAX_SEGMENTS, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentKeyDerivationRefusesDataKeysThatAreNot32Bytes() {
        ObjectStreamHeader header = ObjectStreamHeader.of(new ObjectStreamParameters(S), new byte[32], new byte[7]);
        assertThatThrownBy(() -> ObjectStreamV1.deriveContentKey(SecretBytes.copyOf(new byte[31]), header, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentSizesOutsideOneKibibyteToSixteenMebibytesAreRefused() {
        assertThatThrownBy(() -> new ObjectStreamParameters(1023)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentSizeBytes");
        assertThatThrownBy(() -> new ObjectStreamParameters(16 * 1024 * 1024 + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ObjectStreamParameters(1024).segmentSizeBytes()).isEqualTo(1024);
        assertThat(new ObjectStreamParameters(16 * 1024 * 1024).segmentSizeBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(ObjectStreamParameters.defaults().segmentSizeBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void headerRoundTripsThroughItsBytes() throws CiphertextRejectedException {
        byte[] salt = new byte[32];
        byte[] prefix = new byte[7];
        for (int i = 0; i < 32; i++) {
            salt[i] = (byte) (0x10 + i);
        }
        for (int i = 0; i < 7; i++) {
            prefix[i] = (byte) (0xa0 + i);
        }
        ObjectStreamHeader header = ObjectStreamHeader.of(new ObjectStreamParameters(0x12345), salt, prefix);
        byte[] bytes = header.toBytes();

        assertThat(HexFormat.of().formatHex(bytes, 0, 5)).isEqualTo("01" + "00012345");
        assertThat(HexFormat.of().formatHex(bytes, 5, 37)).isEqualTo(HexFormat.of().formatHex(salt));
        assertThat(HexFormat.of().formatHex(bytes, 37, 44)).isEqualTo("a0a1a2a3a4a5a6");
        assertThat(ObjectStreamHeader.parse(bytes, 0).toBytes()).isEqualTo(bytes);
        assertThatThrownBy(() -> ObjectStreamHeader.parse(bytes, 1)).isInstanceOf(CiphertextRejectedException.class);
    }

    /** A plain check: AssertJ's per-call cost is too high for the hundreds of thousands of sizes tried here. */
    private static void assertRejected(long ciphertextSize, int segmentSize) {
        try {
            long p = ObjectStreamV1.plaintextSize(ciphertextSize, segmentSize);
            throw new AssertionError("plaintextSize(" + ciphertextSize + ", " + segmentSize + ") accepted, giving " + p);
        } catch (CiphertextRejectedException expected) {
            // refused, as it must be
        }
    }
}

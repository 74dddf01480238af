package dev.coffer.crypto.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.CiphertextRejectedException.Reason;
import dev.coffer.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Block seal v1 through {@link VolumeBlockCipher}: every altered, moved, swapped, foreign or
 * truncated record is refused with {@link CiphertextRejectedException}, and the caller's plaintext
 * buffer never receives plaintext of a refused block.
 */
class VolumeBlockCipherTamperTest {
    private static final int BLOCK = BlockSealParameters.MIN_BLOCK_SIZE_BYTES;
    private static final BlockSealParameters PARAMETERS = new BlockSealParameters(BLOCK);
    private static final byte MARKER = 0x5a;

    private final Random random = new Random(42);
    private final SecretBytes volumeKey = SecretBytes.copyOf(bytes(32));
    private final VolumeBlockCipher cipher = new VolumeBlockCipher(volumeKey, "vol-0001", PARAMETERS, new SecureRandom());
    private final List<VolumeBlockCipher> others = new ArrayList<>();

    @AfterEach
    void closeCiphers() {
        cipher.close();
        others.forEach(VolumeBlockCipher::close);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] seal(VolumeBlockCipher c, long index, byte[] plaintext) {
        byte[] sealed = new byte[c.sealedSizeBytes()];
        c.seal(index, plaintext, 0, sealed, 0);
        return sealed;
    }

    private VolumeBlockCipher other(SecretBytes key, String bindingId) {
        VolumeBlockCipher c = new VolumeBlockCipher(key, bindingId, PARAMETERS, new SecureRandom());
        others.add(c);
        return c;
    }

    /** Opens and expects a refusal, with the plaintext buffer left free of plaintext. */
    private static void assertRefused(VolumeBlockCipher c, long index, byte[] sealed, Reason reason) {
        byte[] plaintext = new byte[BLOCK];
        Arrays.fill(plaintext, MARKER);
        assertThatThrownBy(() -> c.open(index, sealed, 0, plaintext, 0))
                .isInstanceOfSatisfying(CiphertextRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        for (int i = 0; i < plaintext.length; i++) {
            if (plaintext[i] != MARKER && plaintext[i] != 0) {
                throw new AssertionError("plaintext buffer byte " + i + " was written with " + plaintext[i]
                        + ", not the marker or zero, by a refused open");
            }
        }
    }

    @Test
    void untamperedBlockOpensToItsPlaintext() throws CiphertextRejectedException {
        byte[] plaintext = bytes(BLOCK);
        byte[] sealed = seal(cipher, 7, plaintext);
        byte[] opened = new byte[BLOCK];

        cipher.open(7, sealed, 0, opened, 0);

        assertThat(opened).isEqualTo(plaintext);
        assertThat(sealed).hasSize(BLOCK + BlockSealV1.OVERHEAD_BYTES);
        assertThat(sealed[0]).isEqualTo((byte) 1);
    }

    @TestFactory
    Stream<DynamicTest> flippingAnyByteOfTheRecordIsRejected() {
        byte[] plaintext = bytes(BLOCK);
        byte[] sealed = seal(cipher, 3, plaintext);
        List<DynamicTest> tests = new ArrayList<>();
        for (int bit = 0; bit < 8; bit++) {
            byte[] t = sealed.clone();
            t[0] ^= (byte) (1 << bit);
            tests.add(dynamicTest("version byte, bit " + bit, () -> assertRefused(cipher, 3, t, Reason.UNSUPPORTED_VERSION)));
        }
        for (int position = 1; position < sealed.length; position++) {
            byte[] t = sealed.clone();
            t[position] ^= 0x01;
            tests.add(dynamicTest(fieldOf(position) + " byte at offset " + position,
                    () -> assertRefused(cipher, 3, t, Reason.AUTHENTICATION_FAILED)));
        }
        assertThat(tests).hasSize(8 + BLOCK + BlockSealV1.OVERHEAD_BYTES - 1);
        return tests.stream();
    }

    private static String fieldOf(int position) {
        if (position < 1 + BlockSealV1.KEY_SALT_SIZE_BYTES) {
            return "key salt";
        }
        if (position < BlockSealV1.HEADER_SIZE_BYTES) {
            return "nonce";
        }
        return position < BlockSealV1.HEADER_SIZE_BYTES + BLOCK ? "ciphertext" : "tag";
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0x00, 0x02, 0x80, 0xff})
    void unknownVersionIsRejected(int version) {
        byte[] sealed = seal(cipher, 3, bytes(BLOCK));
        sealed[0] = (byte) version;
        assertRefused(cipher, 3, sealed, Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void zeroFilledRecordIsRejected() {
        assertRefused(cipher, 0, new byte[cipher.sealedSizeBytes()], Reason.UNSUPPORTED_VERSION);
        byte[] zerosWithVersion = new byte[cipher.sealedSizeBytes()];
        zerosWithVersion[0] = 1;
        assertRefused(cipher, 0, zerosWithVersion, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void blockReadAtAnotherIndexIsRejected() {
        byte[] sealed = seal(cipher, 10, bytes(BLOCK));
        assertRefused(cipher, 11, sealed, Reason.AUTHENTICATION_FAILED);
        assertRefused(cipher, 9, sealed, Reason.AUTHENTICATION_FAILED);
        assertRefused(cipher, 10 + (1L << 32), sealed, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void swappingTwoBlocksBetweenIndicesIsRejected() {
        byte[] at3 = seal(cipher, 3, bytes(BLOCK));
        byte[] at8 = seal(cipher, 8, bytes(BLOCK));
        assertRefused(cipher, 3, at8, Reason.AUTHENTICATION_FAILED);
        assertRefused(cipher, 8, at3, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void blockMovedToAnotherVolumeUnderTheSameDataKeyIsRejected() {
        byte[] sealed = seal(cipher, 5, bytes(BLOCK));
        assertRefused(other(volumeKey, "vol-0002"), 5, sealed, Reason.AUTHENTICATION_FAILED);
        assertRefused(other(volumeKey, "vol-00010"), 5, sealed, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void blockOfAnotherVolumeKeyIsRejectedEvenUnderTheSameBindingId() {
        VolumeBlockCipher foreign = other(SecretBytes.copyOf(bytes(32)), "vol-0001");
        byte[] sealed = seal(foreign, 5, bytes(BLOCK));
        assertRefused(cipher, 5, sealed, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void blockSealedForAnotherBlockSizeIsRejected() {
        VolumeBlockCipher larger = new VolumeBlockCipher(volumeKey, "vol-0001", new BlockSealParameters(2 * BLOCK),
                new SecureRandom());
        others.add(larger);
        byte[] sealedLarge = seal(larger, 1, bytes(2 * BLOCK));
        // The first BLOCK + 45 bytes of a larger record, presented as a record of this volume.
        byte[] prefix = Arrays.copyOf(sealedLarge, cipher.sealedSizeBytes());
        assertRefused(cipher, 1, prefix, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void truncatedRecordIsRejected() {
        byte[] sealed = seal(cipher, 4, bytes(BLOCK));
        for (int length : new int[] {0, 1, BlockSealV1.HEADER_SIZE_BYTES, sealed.length - 16, sealed.length - 1}) {
            assertRefused(cipher, 4, Arrays.copyOf(sealed, length), Reason.TRUNCATED_OR_EXTENDED);
        }
        // A short read into a full-size buffer leaves zeros where the tag was.
        byte[] shortRead = Arrays.copyOf(Arrays.copyOf(sealed, sealed.length - 16), sealed.length);
        assertRefused(cipher, 4, shortRead, Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void recordsAtAnOffsetInALargerBufferOpen() throws CiphertextRejectedException {
        byte[] plaintext = bytes(BLOCK);
        int offset = 100;
        byte[] buffer = new byte[offset + cipher.sealedSizeBytes() + 7];
        cipher.seal(2, plaintext, 0, buffer, offset);
        byte[] opened = new byte[BLOCK + 3];

        cipher.open(2, buffer, offset, opened, 3);

        assertThat(Arrays.copyOfRange(opened, 3, 3 + BLOCK)).isEqualTo(plaintext);
    }

    @Test
    void closedCipherCannotSeal() {
        VolumeBlockCipher c = other(volumeKey, "vol-0003");
        c.close();
        assertThatThrownBy(() -> seal(c, 0, bytes(BLOCK))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void blockSizesThatAreNotPowersOfTwoFrom512To64KiBAreRefused() {
        for (int size : new int[] {0, 256, 511, 513, 3000, 128 * 1024}) {
            assertThatThrownBy(() -> new BlockSealParameters(size)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blockSizeBytes");
        }
        assertThat(BlockSealParameters.defaults().sealedSizeBytes()).isEqualTo(4096 + 45);
    }

    @Test
    void volumeBindingIdsMustBeOneTo255Utf8Bytes() {
        assertThatThrownBy(() -> other(volumeKey, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other(volumeKey, "x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other(volumeKey, "é".repeat(128))).isInstanceOf(IllegalArgumentException.class);
        assertThat(other(volumeKey, "x".repeat(255)).blockSizeBytes()).isEqualTo(BLOCK);
    }
}

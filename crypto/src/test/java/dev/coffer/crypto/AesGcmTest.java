package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AesGcmTest {
    private final Random random = new Random(4);
    private final AesKey key = AesKey.of(SecretBytes.copyOf(bytes(32)));

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void sealedMessageOpensWithTheSameNonceAndAssociatedData() throws CiphertextRejectedException {
        byte[] nonce = bytes(12);
        byte[] plaintext = bytes(100);
        byte[] sealed = new byte[116];
        assertThat(new AesGcm().seal(key, nonce, new byte[] {9}, plaintext, 0, 100, sealed, 0)).isEqualTo(116);
        byte[] opened = new byte[100];

        assertThat(new AesGcm().open(key, nonce, new byte[] {9}, sealed, 0, 116, opened, 0)).isEqualTo(100);
        assertThat(opened).isEqualTo(plaintext);
    }

    @Test
    void alteredAssociatedDataOrNonceFailsAndLeavesNoPlaintextInTheOutput() {
        byte[] nonce = bytes(12);
        byte[] plaintext = bytes(100);
        byte[] sealed = new byte[116];
        AesGcm gcm = new AesGcm();
        gcm.seal(key, nonce, new byte[] {9}, plaintext, 0, 100, sealed, 0);
        byte[] otherNonce = nonce.clone();
        otherNonce[11] ^= 1;

        for (byte[][] attempt : new byte[][][] {{nonce, {8}}, {nonce, {}}, {otherNonce, {9}}}) {
            byte[] out = new byte[100];
            Arrays.fill(out, (byte) 0x5a);
            assertThatThrownBy(() -> gcm.open(key, attempt[0], attempt[1], sealed, 0, 116, out, 0))
                    .isInstanceOfSatisfying(CiphertextRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(CiphertextRejectedException.Reason.AUTHENTICATION_FAILED));
            for (byte b : out) {
                assertThat(b).as("output byte after a failed open").isIn((byte) 0x5a, (byte) 0);
            }
        }
    }

    @Test
    void messageShorterThanItsTagIsMalformed() {
        assertThatThrownBy(() -> new AesGcm().open(key, bytes(12), new byte[0], new byte[15], 0, 15, new byte[0], 0))
                .isInstanceOfSatisfying(CiphertextRejectedException.class, e -> assertThat(e.reason())
                        .isEqualTo(CiphertextRejectedException.Reason.MALFORMED));
    }

    @Test
    void rejectionMessagesNameTheFailureWithoutData() {
        assertThat(CiphertextRejectedException.authenticationFailed().getMessage())
                .contains("authentication failed");
        assertThat(CiphertextRejectedException.unsupportedVersion("block seal", 7).getMessage())
                .isEqualTo("unsupported block seal version 7");
    }
}

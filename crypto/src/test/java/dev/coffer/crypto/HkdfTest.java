package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HKDF-SHA256 against the SHA-256 test cases of RFC 5869, appendix A (cases 1 to 3). */
class HkdfTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "RFC 5869 test case {0}")
    @CsvSource({
        // case, IKM, salt, info, L, OKM
        "1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 000102030405060708090a0b0c, f0f1f2f3f4f5f6f7f8f9, 42, "
            + "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        "2, "
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
            + "404142434445464748494a4b4c4d4e4f, "
            + "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
            + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
            + "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf, "
            + "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
            + "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
            + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff, 82, "
            + "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            + "cc30c58179ec3e87c14c01d5c1f3434f1d87",
        // Empty salt (meaning HashLen zero bytes) and empty info.
        "3, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, '', '', 42, "
            + "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    })
    void matchesRfc5869(int testCase, String ikm, String salt, String info, int length, String okm) {
        try (SecretBytes derived = Hkdf.deriveKey(SecretBytes.copyOf(HEX.parseHex(ikm)), HEX.parseHex(salt),
                HEX.parseHex(info), length)) {
            assertThat(derived.size()).isEqualTo(length);
            assertThat(HEX.formatHex(derived.toByteArray(SecretAccess.explicitly()))).isEqualTo(okm);
        }
    }

    @Test
    void emptySaltMeansThirtyTwoZeroBytes() {
        SecretBytes ikm = SecretBytes.copyOf(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        SecretBytes withEmpty = Hkdf.deriveKey(ikm, new byte[0], new byte[0], 42);
        SecretBytes withZeros = Hkdf.deriveKey(ikm, new byte[32], new byte[0], 42);
        assertThat(withEmpty.contentEquals(withZeros)).isTrue();
    }

    @Test
    void shorterOutputIsAPrefixOfLongerOutput() {
        SecretBytes ikm = SecretBytes.copyOf(new byte[32]);
        byte[] longer = Hkdf.deriveKey(ikm, new byte[] {1}, new byte[] {2}, 100).toByteArray(SecretAccess.explicitly());
        byte[] shorter = Hkdf.deriveKey(ikm, new byte[] {1}, new byte[] {2}, 33).toByteArray(SecretAccess.explicitly());
        assertThat(longer).startsWith(shorter);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 255 * 32 + 1})
    void refusesOutputLengthsOutsideOneTo255HashLengths(int length) {
        SecretBytes ikm = SecretBytes.copyOf(new byte[32]);
        assertThatThrownBy(() -> Hkdf.deriveKey(ikm, new byte[0], new byte[0], length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8160");
    }

    @Test
    void producesTheLargestAllowedOutput() {
        assertThat(Hkdf.deriveKey(SecretBytes.copyOf(new byte[32]), new byte[0], new byte[0], Hkdf.MAX_OUTPUT_BYTES).size())
                .isEqualTo(8160);
    }
}

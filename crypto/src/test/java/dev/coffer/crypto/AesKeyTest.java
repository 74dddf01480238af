package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class AesKeyTest {
    private static byte[] keyBytes() {
        byte[] b = new byte[32];
        new Random(8).nextBytes(b);
        return b;
    }

    @Test
    void toStringNamesTheKeySizeOnly() {
        AesKey key = AesKey.of(SecretBytes.copyOf(keyBytes()));
        assertThat(key.toString()).isEqualTo("AesKey[256 bits]");
        SecretTextAssertions.assertNoSecretIn(key.toString(), keyBytes());
        key.destroy();
        assertThat(key.toString()).isEqualTo("AesKey[256 bits, destroyed]");
    }

    @Test
    void destroyZeroisesTheKeyAndRefusesFurtherUse() {
        AesKey key = AesKey.of(SecretBytes.copyOf(keyBytes()));
        assertThat(key.getEncoded()).isEqualTo(keyBytes());

        key.destroy();

        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(key::getEncoded).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AesGcm().seal(key, new byte[12], new byte[0], new byte[1], 0, 1, new byte[17], 0))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void encodedFormIsACopy() {
        AesKey key = AesKey.of(SecretBytes.copyOf(keyBytes()));
        key.getEncoded()[0] ^= 1;
        assertThat(key.getEncoded()).isEqualTo(keyBytes());
        SecretKey asJce = key;
        assertThat(asJce.getAlgorithm()).isEqualTo("AES");
        assertThat(asJce.getFormat()).isEqualTo("RAW");
    }

    @Test
    void isIndependentOfTheSecretItWasMadeFrom() {
        SecretBytes secret = SecretBytes.copyOf(keyBytes());
        AesKey key = AesKey.of(secret);
        secret.destroy();
        assertThat(key.getEncoded()).isEqualTo(keyBytes());
    }

    @Test
    void refusesKeysThatAreNot256Bits() {
        assertThatThrownBy(() -> AesKey.of(SecretBytes.copyOf(new byte[16]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}

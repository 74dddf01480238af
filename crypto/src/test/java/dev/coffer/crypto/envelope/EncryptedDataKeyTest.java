package dev.coffer.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EncryptedDataKeyTest {
    private static final byte[] WRAPPED = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void equalsAndHashCodeCompareProviderInfoAndCiphertextContents() {
        EncryptedDataKey a = new EncryptedDataKey("aws-kms", "arn:1", WRAPPED.clone());
        EncryptedDataKey b = new EncryptedDataKey("aws-kms", "arn:1", WRAPPED.clone());

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new EncryptedDataKey("coffer-local", "arn:1", WRAPPED));
        assertThat(a).isNotEqualTo(new EncryptedDataKey("aws-kms", "arn:2", WRAPPED));
        byte[] other = WRAPPED.clone();
        other[9] ^= 1;
        assertThat(a).isNotEqualTo(new EncryptedDataKey("aws-kms", "arn:1", other));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("aws-kms");
    }

    @Test
    void ciphertextIsCopiedInAndOut() {
        byte[] source = WRAPPED.clone();
        EncryptedDataKey edk = new EncryptedDataKey("aws-kms", "arn:1", source);
        source[0] = 99;
        edk.ciphertext()[1] = 99;

        assertThat(edk.ciphertext()).isEqualTo(WRAPPED);
    }

    @Test
    void providerIdIsRequired() {
        assertThatThrownBy(() -> new EncryptedDataKey("", "info", WRAPPED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EncryptedDataKey(null, "info", WRAPPED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EncryptedDataKey("p", null, WRAPPED)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsTheProviderTheSizeAndOnlyAShortHead() {
        assertThat(new EncryptedDataKey("aws-kms", "arn:1", WRAPPED).toString())
                .isEqualTo("EncryptedDataKey[aws-kms, arn:1, 10 bytes 0102030405060708...]");
    }
}

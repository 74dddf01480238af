package dev.coffer.kms.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SoftwareHsmKeyFileTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AesGcm gcm = new AesGcm();
    private final AesKey master = AesKey.of(SecretBytes.random(32, RANDOM));
    private final byte[] material = randomBytes(32);

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private byte[] sealed(String label, SoftwareHsmKeyFile.Kind kind) {
        return SoftwareHsmKeyFile.seal(gcm, master, label, kind, randomBytes(12), material);
    }

    @Test
    void layoutIsMagicVersionKindNonceThenSealedMaterial() {
        byte[] nonce = randomBytes(12);
        byte[] file = SoftwareHsmKeyFile.seal(gcm, master, "kms/a/v1", SoftwareHsmKeyFile.Kind.AES_256, nonce, material);

        assertThat(Arrays.copyOf(file, 4)).isEqualTo("CSHK".getBytes(StandardCharsets.US_ASCII));
        assertThat(file[4]).isEqualTo((byte) 1);
        assertThat(file[5]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(file, 6, 18)).isEqualTo(nonce);
        assertThat(file).hasSize(18 + 32 + 16);
    }

    @Test
    void opensWhatItSealed() throws Exception {
        SoftwareHsmKeyFile.Opened opened = SoftwareHsmKeyFile.open(gcm, master, "kms/a/v1",
                sealed("kms/a/v1", SoftwareHsmKeyFile.Kind.EC_P256_SIGNING));
        assertThat(opened.kind()).isEqualTo(SoftwareHsmKeyFile.Kind.EC_P256_SIGNING);
        assertThat(opened.material()).isEqualTo(material);
    }

    @Test
    void fileOfAnotherLabelIsRefused() {
        byte[] file = sealed("kms/a/v1", SoftwareHsmKeyFile.Kind.AES_256);
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "kms/a/v2", file))
                .isInstanceOf(HsmException.class).hasMessageContaining("'kms/a/v2'").hasMessageContaining("authentication");
    }

    @Test
    void kindSwapIsRefused() {
        byte[] file = sealed("kms/a/v1", SoftwareHsmKeyFile.Kind.AES_256);
        file[5] = SoftwareHsmKeyFile.Kind.EC_P256_SIGNING.code;
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "kms/a/v1", file))
                .isInstanceOf(HsmException.class).hasMessageContaining("authentication");
    }

    @Test
    void unknownMagicVersionOrKindFailsClosed() {
        byte[] file = sealed("l", SoftwareHsmKeyFile.Kind.AES_256);
        byte[] magic = file.clone();
        magic[0] = 'X';
        byte[] version = file.clone();
        version[4] = 0;
        byte[] kind = file.clone();
        kind[5] = 9;
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "l", magic)).hasMessageContaining("not a software HSM key file");
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "l", version)).hasMessageContaining("unsupported key file version 0");
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "l", kind)).hasMessageContaining("unknown key kind 9");
    }

    @Test
    void fileShorterThanHeaderAndTagIsRefused() {
        byte[] file = sealed("l", SoftwareHsmKeyFile.Kind.AES_256);
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, master, "l", Arrays.copyOf(file, 33)))
                .isInstanceOf(HsmException.class).hasMessageContaining("not a software HSM key file");
    }

    @Test
    void anotherMasterKeyIsRefused() {
        byte[] file = sealed("l", SoftwareHsmKeyFile.Kind.AES_256);
        AesKey other = AesKey.of(SecretBytes.random(32, RANDOM));
        assertThatThrownBy(() -> SoftwareHsmKeyFile.open(gcm, other, "l", file))
                .isInstanceOf(HsmException.class).hasMessageContaining("authentication");
    }
}

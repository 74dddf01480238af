package dev.coffer.crypto;

import static dev.coffer.crypto.SecretTextAssertions.assertNoSecretIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.VolumeBlockCipher;
import dev.coffer.crypto.envelope.DataKey;
import dev.coffer.crypto.envelope.DecryptionMaterials;
import dev.coffer.crypto.envelope.EncryptionContext;
import dev.coffer.crypto.envelope.EncryptionMaterials;
import dev.coffer.crypto.envelope.KeyringException;
import dev.coffer.crypto.envelope.RawAesKeyring;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamHeader;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** House rule 4: no secret in a toString or an exception message, checked across the module's types. */
class SecretsNeverAppearInTextTest {
    private final Random random = new Random(77);
    private final byte[] wrappingKeyBytes = bytes(32);
    private final RawAesKeyring keyring =
            new RawAesKeyring("coffer-local", "key-1", SecretBytes.copyOf(wrappingKeyBytes), new SecureRandom());
    private final EncryptionContext context = EncryptionContext.of(Map.of("bucket", "b"));

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void keyringAndMaterialsShowNeitherTheWrappingKeyNorTheDataKey() throws KeyringException {
        EncryptionMaterials materials = keyring.onEncrypt(EncryptionMaterials.forContext(context));
        SecretBytes dataKey = materials.plaintextDataKey().orElseThrow();
        byte[] dataKeyBytes = dataKey.toByteArray(SecretAccess.explicitly());
        DecryptionMaterials decrypted = keyring.onDecrypt(DecryptionMaterials.forContext(context),
                materials.encryptedDataKeys());
        DataKey both = new DataKey(dataKey, materials.encryptedDataKeys().getFirst());

        List<String> texts = List.of(keyring.toString(), materials.toString(), decrypted.toString(), both.toString(),
                dataKey.toString(), materials.encryptedDataKeys().getFirst().toString(),
                AesKey.of(dataKey).toString());
        for (String text : texts) {
            assertNoSecretIn(text, dataKeyBytes);
            assertNoSecretIn(text, wrappingKeyBytes);
        }
        assertThat(materials.toString()).contains("dataKey present");
    }

    @Test
    void keyringFailureMessageShowsNoKey() {
        EncryptionMaterials materials = keyring.onEncrypt(EncryptionMaterials.forContext(context));
        byte[] dataKeyBytes = materials.plaintextDataKey().orElseThrow().toByteArray(SecretAccess.explicitly());

        assertThatThrownBy(() -> keyring.onDecrypt(DecryptionMaterials.forContext(EncryptionContext.empty()),
                materials.encryptedDataKeys()))
                .isInstanceOfSatisfying(KeyringException.class, e -> {
                    assertNoSecretIn(e.getMessage(), dataKeyBytes);
                    assertNoSecretIn(e.getMessage(), wrappingKeyBytes);
                });
    }

    @Test
    void streamAndBlockTypesShowNoKey() throws IOException {
        byte[] dataKeyBytes = bytes(32);
        SecretBytes dataKey = SecretBytes.copyOf(dataKeyBytes);
        ObjectStreamHeader header = ObjectStreamHeader.random(ObjectStreamParameters.defaults(), new SecureRandom());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.startWithHeader(header, dataKey, new byte[0], 3)) {
            assertNoSecretIn(encryptor.toString(), dataKeyBytes);
            encryptor.update(new byte[3], 0, 3, ByteSink.of(out));
            encryptor.finish(ByteSink.of(out));
        }
        byte[] ciphertext = out.toByteArray();
        ciphertext[ciphertext.length - 1] ^= 1;
        try (ObjectStreamReader reader = ObjectStreamReader.open(dataKey, new byte[0], CiphertextSource.of(ciphertext),
                ciphertext.length)) {
            assertNoSecretIn(reader.toString(), dataKeyBytes);
            assertThatThrownBy(() -> reader.openAll().readAllBytes())
                    .isInstanceOfSatisfying(CiphertextRejectedException.class,
                            e -> assertNoSecretIn(e.getMessage(), dataKeyBytes));
        }
        assertNoSecretIn(header.toString(), dataKeyBytes);
        try (VolumeBlockCipher cipher = new VolumeBlockCipher(dataKey, "vol", BlockSealParameters.defaults(),
                new SecureRandom())) {
            assertNoSecretIn(cipher.toString(), dataKeyBytes);
        }
    }
}

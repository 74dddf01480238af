package dev.coffer.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawAesKeyringTest {
    private static final EncryptionContext CONTEXT = EncryptionContext.of(Map.of("bucket", "photos", "key", "cat.jpg"));

    private final Random seeded = new Random(12);
    private final SecretBytes wrappingKey = SecretBytes.copyOf(bytes(32));
    private final RawAesKeyring keyring = new RawAesKeyring("coffer-local", "key-1", wrappingKey, new SecureRandom());

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        seeded.nextBytes(b);
        return b;
    }

    private EncryptionMaterials encrypt(EncryptionContext context) {
        return keyring.onEncrypt(EncryptionMaterials.forContext(context));
    }

    private static KeyringException.Reason decryptFailure(Keyring keyring, EncryptionContext context,
                                                         List<EncryptedDataKey> keys) {
        try {
            keyring.onDecrypt(DecryptionMaterials.forContext(context), keys);
        } catch (KeyringException e) {
            return e.reason();
        }
        throw new AssertionError("decryption succeeded");
    }

    @Test
    void dataKeyRoundTripsUnderTheSameContextInAnyOrder() throws KeyringException {
        EncryptionMaterials materials = encrypt(CONTEXT);
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("key", "cat.jpg");
        reordered.put("bucket", "photos");

        DecryptionMaterials decrypted = keyring.onDecrypt(
                DecryptionMaterials.forContext(EncryptionContext.of(reordered)), materials.encryptedDataKeys());

        assertThat(materials.plaintextDataKey()).isPresent();
        assertThat(materials.plaintextDataKey().get().size()).isEqualTo(32);
        assertThat(decrypted.plaintextDataKey().orElseThrow().contentEquals(materials.plaintextDataKey().get())).isTrue();
    }

    @Test
    void encryptedDataKeyHasTheDocumentedLayoutAndOpensIndependently() throws CiphertextRejectedException {
        EncryptionMaterials materials = encrypt(CONTEXT);
        EncryptedDataKey edk = materials.encryptedDataKeys().getFirst();
        byte[] wrapped = edk.ciphertext();

        assertThat(edk.providerId()).isEqualTo("coffer-local");
        assertThat(edk.providerInfo()).isEqualTo("key-1");
        assertThat(wrapped).hasSize(1 + 12 + 32 + 16);
        assertThat(wrapped[0]).isEqualTo((byte) 1);
        byte[] unwrapped = new byte[32];
        new AesGcm().open(AesKey.of(wrappingKey), Arrays.copyOfRange(wrapped, 1, 13), CONTEXT.canonicalBytes(),
                wrapped, 13, 48, unwrapped, 0);
        assertThat(unwrapped).isEqualTo(materials.plaintextDataKey().get().toByteArray(SecretAccess.explicitly()));
    }

    @Test
    void wrongEncryptionContextFindsNoDecryptableKey() {
        List<EncryptedDataKey> keys = encrypt(CONTEXT).encryptedDataKeys();

        assertThat(decryptFailure(keyring, CONTEXT.with("key", "dog.jpg"), keys))
                .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        assertThat(decryptFailure(keyring, CONTEXT.with("extra", "1"), keys))
                .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        assertThat(decryptFailure(keyring, EncryptionContext.empty(), keys))
                .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
    }

    @Test
    void keysOfUnknownProvidersAreSkipped() throws KeyringException {
        EncryptionMaterials materials = encrypt(CONTEXT);
        EncryptedDataKey mine = materials.encryptedDataKeys().getFirst();
        List<EncryptedDataKey> keys = List.of(
                new EncryptedDataKey("aws-kms", "arn:aws:kms:eu-west-1:111122223333:key/abc", bytes(200)),
                new EncryptedDataKey("coffer-local", "key-2", mine.ciphertext()),
                new EncryptedDataKey("other-namespace", "key-1", mine.ciphertext()),
                mine);

        DecryptionMaterials decrypted = keyring.onDecrypt(DecryptionMaterials.forContext(CONTEXT), keys);

        assertThat(decrypted.plaintextDataKey().orElseThrow().contentEquals(materials.plaintextDataKey().get())).isTrue();
        assertThat(decryptFailure(keyring, CONTEXT, keys.subList(0, 3))).isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        assertThat(decryptFailure(keyring, CONTEXT, List.of())).isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
    }

    @Test
    void keyringWithTheSameNameButAnotherWrappingKeyFailsClosed() {
        RawAesKeyring impostor = new RawAesKeyring("coffer-local", "key-1", SecretBytes.copyOf(bytes(32)), new SecureRandom());
        assertThat(decryptFailure(impostor, CONTEXT, encrypt(CONTEXT).encryptedDataKeys()))
                .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
    }

    @Test
    void everyAlteredByteOfTheWrappedKeyFailsClosed() {
        byte[] wrapped = encrypt(CONTEXT).encryptedDataKeys().getFirst().ciphertext();
        for (int i = 0; i < wrapped.length; i++) {
            byte[] altered = wrapped.clone();
            altered[i] ^= 0x01;
            EncryptedDataKey edk = new EncryptedDataKey("coffer-local", "key-1", altered);
            assertThat(decryptFailure(keyring, CONTEXT, List.of(edk))).as("byte %d", i)
                    .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        }
    }

    @Test
    void keyWrapDowngradeOrResizingAttackFails() {
        byte[] wrapped = encrypt(CONTEXT).encryptedDataKeys().getFirst().ciphertext();
        for (int version : new int[] {0, 2, 0xff}) {
            byte[] altered = wrapped.clone();
            altered[0] = (byte) version;
            assertThat(decryptFailure(keyring, CONTEXT, List.of(new EncryptedDataKey("coffer-local", "key-1", altered))))
                    .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        }
        for (byte[] resized : List.of(Arrays.copyOf(wrapped, wrapped.length - 1), Arrays.copyOf(wrapped, wrapped.length + 1),
                new byte[0])) {
            assertThat(decryptFailure(keyring, CONTEXT, List.of(new EncryptedDataKey("coffer-local", "key-1", resized))))
                    .isEqualTo(KeyringException.Reason.NO_DECRYPTABLE_KEY);
        }
    }

    @Test
    void secondKeyringWrapsTheSameDataKeyWithoutReplacingIt() throws KeyringException {
        RawAesKeyring second = new RawAesKeyring("coffer-local", "key-2", SecretBytes.copyOf(bytes(32)), new SecureRandom());
        EncryptionMaterials first = encrypt(CONTEXT);

        EncryptionMaterials both = second.onEncrypt(first);

        assertThat(both.encryptedDataKeys()).hasSize(2);
        assertThat(both.encryptedDataKeys().get(0)).isEqualTo(first.encryptedDataKeys().get(0));
        assertThat(both.plaintextDataKey().get()).isSameAs(first.plaintextDataKey().get());
        DecryptionMaterials viaSecond = second.onDecrypt(DecryptionMaterials.forContext(CONTEXT), both.encryptedDataKeys());
        assertThat(viaSecond.plaintextDataKey().orElseThrow().contentEquals(first.plaintextDataKey().get())).isTrue();
        assertThat(first.encryptedDataKeys()).as("the given materials are unchanged").hasSize(1);
    }

    @Test
    void onEncryptLeavesTheGivenMaterialsUnchanged() {
        EncryptionMaterials start = EncryptionMaterials.forContext(CONTEXT);
        EncryptionMaterials result = keyring.onEncrypt(start);

        assertThat(start.plaintextDataKey()).isEmpty();
        assertThat(start.encryptedDataKeys()).isEmpty();
        assertThat(result).isNotSameAs(start);
    }

    @Test
    void everyWrapDrawsAFreshNonceAndEveryEncryptAFreshDataKey() {
        EncryptionMaterials a = encrypt(CONTEXT);
        EncryptionMaterials b = encrypt(CONTEXT);
        assertThat(a.plaintextDataKey().get().contentEquals(b.plaintextDataKey().get())).isFalse();

        RawAesKeyring second = new RawAesKeyring("coffer-local", "key-1", wrappingKey, new SecureRandom());
        EncryptionMaterials rewrapped = second.onEncrypt(a);
        byte[] x = rewrapped.encryptedDataKeys().get(0).ciphertext();
        byte[] y = rewrapped.encryptedDataKeys().get(1).ciphertext();
        assertThat(Arrays.copyOfRange(x, 1, 13)).isNotEqualTo(Arrays.copyOfRange(y, 1, 13));
    }

    @Test
    void materialsHoldADataKeyAtMostOnce() {
        EncryptionMaterials materials = encrypt(CONTEXT);
        EncryptedDataKey edk = materials.encryptedDataKeys().getFirst();
        SecretBytes key = SecretBytes.copyOf(new byte[32]);

        assertThatThrownBy(() -> materials.withGeneratedDataKey(key, edk)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EncryptionMaterials.forContext(CONTEXT).withEncryptedDataKey(edk))
                .isInstanceOf(IllegalStateException.class);
        DecryptionMaterials decryption = DecryptionMaterials.forContext(CONTEXT).withDataKey(key);
        assertThatThrownBy(() -> decryption.withDataKey(key)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesEmptyNamesAndWrappingKeysThatAreNot256Bits() {
        assertThatThrownBy(() -> new RawAesKeyring("", "k", wrappingKey, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawAesKeyring("ns", "", wrappingKey, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawAesKeyring("ns", "k", SecretBytes.copyOf(new byte[16]), new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataKeyCloseDestroysThePlaintext() {
        EncryptionMaterials materials = encrypt(CONTEXT);
        DataKey dataKey = new DataKey(materials.plaintextDataKey().get(), materials.encryptedDataKeys().getFirst());
        dataKey.close();
        assertThat(dataKey.plaintext().isDestroyed()).isTrue();
        assertThatThrownBy(() -> new DataKey(null, dataKey.encrypted())).isInstanceOf(NullPointerException.class);
    }
}

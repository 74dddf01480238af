package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdef");

    @Test
    void toStringShowsOnlyTheSize() {
        SecretBytes secret = SecretBytes.copyOf(KEY);
        assertThat(secret.toString()).isEqualTo("SecretBytes[24 bytes]");
        SecretTextAssertions.assertNoSecretIn(secret.toString(), KEY);
        secret.destroy();
        assertThat(secret.toString()).isEqualTo("SecretBytes[24 bytes, destroyed]");
    }

    @Test
    void destroyZeroisesTheBackingArray() {
        SecretBytes secret = SecretBytes.copyOf(KEY);
        byte[] backing = secret.unsafeView(SecretAccess.explicitly());
        assertThat(backing).isEqualTo(KEY);

        secret.destroy();

        assertThat(backing).containsOnly(0);
        assertThat(secret.isDestroyed()).isTrue();
    }

    @Test
    void closeDestroys() {
        SecretBytes secret = SecretBytes.copyOf(KEY);
        byte[] backing = secret.unsafeView(SecretAccess.explicitly());
        try (secret) {
            assertThat(secret.isDestroyed()).isFalse();
        }
        assertThat(secret.isDestroyed()).isTrue();
        assertThat(backing).containsOnly(0);
    }

    @Test
    void everyReadAfterDestroyIsRefused() {
        SecretBytes secret = SecretBytes.copyOf(KEY);
        SecretBytes other = SecretBytes.copyOf(KEY);
        secret.destroy();

        assertThatThrownBy(() -> secret.unsafeView(SecretAccess.explicitly())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secret.toByteArray(SecretAccess.explicitly())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secret.contentEquals(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.contentEquals(secret)).isInstanceOf(IllegalStateException.class);
        assertThat(secret.size()).isEqualTo(KEY.length);
    }

    @Test
    void readsRequireTheAccessToken() {
        SecretBytes secret = SecretBytes.copyOf(KEY);
        assertThatThrownBy(() -> secret.unsafeView(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> secret.toByteArray(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void copiesAreIndependentOfTheCallersArray() {
        byte[] source = KEY.clone();
        SecretBytes secret = SecretBytes.copyOf(source);
        source[0] ^= 1;
        byte[] copy = secret.toByteArray(SecretAccess.explicitly());
        copy[1] ^= 1;

        assertThat(secret.toByteArray(SecretAccess.explicitly())).isEqualTo(KEY);
    }

    @Test
    void copyOfARangeTakesExactlyThatRange() {
        SecretBytes secret = SecretBytes.copyOf(KEY, 4, 8);
        assertThat(secret.toByteArray(SecretAccess.explicitly())).isEqualTo(HexFormat.of().parseHex("445566778899aabb"));
        assertThatThrownBy(() -> SecretBytes.copyOf(KEY, 20, 8)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void takeOwnershipUsesTheGivenArray() {
        byte[] owned = KEY.clone();
        SecretBytes secret = SecretBytes.takeOwnership(owned);
        secret.destroy();
        assertThat(owned).containsOnly(0);
    }

    @Test
    void contentEqualsComparesContentsWhileEqualsIsIdentity() {
        SecretBytes a = SecretBytes.copyOf(KEY);
        SecretBytes b = SecretBytes.copyOf(KEY);
        byte[] changed = KEY.clone();
        changed[KEY.length - 1] ^= 1;

        assertThat(a.contentEquals(b)).isTrue();
        assertThat(a.contentEquals(SecretBytes.copyOf(changed))).isFalse();
        assertThat(a.contentEquals(SecretBytes.copyOf(new byte[3]))).isFalse();
        assertThat(a).isNotEqualTo(b).isEqualTo(a);
        assertThat(a.hashCode()).isEqualTo(System.identityHashCode(a));
    }

    @Test
    void randomSecretsHaveTheRequestedSizeAndDiffer() {
        SecureRandom random = new SecureRandom();
        SecretBytes a = SecretBytes.random(32, random);
        SecretBytes b = SecretBytes.random(32, random);
        assertThat(a.size()).isEqualTo(32);
        assertThat(a.contentEquals(b)).isFalse();
    }
}

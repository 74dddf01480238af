package dev.coffer.gateway.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * What the volume key service decides itself, from DescribeKey's answer, before any data key is
 * asked for: the key states and key types a volume cannot use (the embedded KMS has only symmetric
 * keys, so the asymmetric cases are only reachable here), and the unavailable service.
 */
class KmsClientVolumeKeyServiceTest {
    private static final String ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static KeyMetadata key(Consumer<KeyMetadata.Builder> change) {
        KeyMetadata.Builder b = KeyMetadata.builder().arn(ARN).keyState(KeyState.ENABLED)
                .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT);
        change.accept(b);
        return b.build();
    }

    @Test
    void enabledSymmetricKeyIsUsable() {
        assertThatCode(() -> {
            KmsClientVolumeKeyService.requireSymmetricEncryptionKey(key(b -> { }));
            KmsClientVolumeKeyService.requireEnabled(key(b -> { }));
        }).doesNotThrowAnyException();
    }

    @Test
    void keyStatesAreTheKmsErrors() {
        assertError(() -> KmsClientVolumeKeyService.requireEnabled(key(b -> b.keyState(KeyState.DISABLED))),
                "DisabledException", ARN + " is disabled.");
        assertError(() -> KmsClientVolumeKeyService.requireEnabled(key(b -> b.keyState(KeyState.PENDING_DELETION))),
                "KMSInvalidStateException", ARN + " is pending deletion.");
        assertError(() -> KmsClientVolumeKeyService.requireEnabled(key(b -> b.keyState(KeyState.PENDING_IMPORT))),
                "KMSInvalidStateException", ARN + " is pending import.");
        assertError(() -> KmsClientVolumeKeyService.requireEnabled(key(b -> b.keyState(KeyState.UNAVAILABLE))),
                "KMSInvalidStateException", ARN + " is in state Unavailable.");
        assertError(() -> KmsClientVolumeKeyService.requireEnabled(key(b -> b.keyState("SomethingNew"))),
                "KMSInvalidStateException", ARN + " is in state SomethingNew.");
    }

    @Test
    void asymmetricOrMacKeyIsInvalidKeyUsage() {
        assertError(() -> KmsClientVolumeKeyService.requireSymmetricEncryptionKey(
                key(b -> b.keyUsage(KeyUsageType.SIGN_VERIFY).keySpec(KeySpec.ECC_NIST_P256))), "InvalidKeyUsageException", null);
        assertError(() -> KmsClientVolumeKeyService.requireSymmetricEncryptionKey(
                key(b -> b.keyUsage(KeyUsageType.GENERATE_VERIFY_MAC).keySpec(KeySpec.HMAC_256))), "InvalidKeyUsageException", null);
        assertError(() -> KmsClientVolumeKeyService.requireSymmetricEncryptionKey(
                key(b -> b.keySpec(KeySpec.RSA_2048))), "InvalidKeyUsageException", null);
    }

    @Test
    void serviceWithoutKmsSaysWhatToConfigure() {
        VolumeKeyService unavailable = new UnavailableVolumeKeyService("no KMS is configured: set --kms-endpoint");
        for (Runnable call : new Runnable[] {
                () -> unavailable.resolveKey("AKIA", VolumeKeyService.EBS_MANAGED_KEY),
                () -> unavailable.generateDataKeyWithoutPlaintext("AKIA", ARN, Map.of("aws:ebs:id", "vol-1")),
                () -> unavailable.unseal("AKIA", ARN, new byte[1], Map.of("aws:ebs:id", "vol-1")),
                () -> unavailable.decryptUnderGrant(ARN, "g", new byte[1], Map.of("aws:ebs:id", "vol-1")),
                () -> unavailable.retireGrant(ARN, "g")}) {
            assertError(call, VolumeKeyException.UNAVAILABLE, "no KMS is configured: set --kms-endpoint");
        }
    }

    private static void assertError(Runnable call, String type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VolumeKeyException.class, e -> {
            assertThat(e.errorType()).isEqualTo(type);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }
}

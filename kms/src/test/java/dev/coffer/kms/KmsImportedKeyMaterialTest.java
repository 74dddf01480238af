package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.InvalidImportTokenException;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

/** Imported key material (Origin EXTERNAL), wrapped with the returned public key by plain JCE as a customer would. */
class KmsImportedKeyMaterialTest {
    @TempDir
    Path dir;
    KmsFixture kms;
    KmsClient root;
    String keyId;
    final byte[] material = new byte[32];

    @BeforeEach
    void start() throws Exception {
        kms = new KmsFixture(dir);
        root = kms.root;
        keyId = root.createKey(r -> r.origin("EXTERNAL")).keyMetadata().keyId();
        new SecureRandom().nextBytes(material);
    }

    @AfterEach
    void stop() {
        kms.close();
    }

    @Test
    void externalKeyStartsPendingImportAndWorksAfterImport() throws Exception {
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("pending import");
        importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_256, material, ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
        var m = root.describeKey(r -> r.keyId(keyId)).keyMetadata();
        assertThat(m.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(m.originAsString()).isEqualTo("EXTERNAL");
        assertThat(m.expirationModel()).isEqualTo(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE);
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("imported"))).ciphertextBlob();
        assertThat(root.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("imported");
    }

    @Test
    void sha1OaepWrappingWorksToo() throws Exception {
        importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_1, material, ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
    }

    @Test
    void expiredMaterialLeavesKeyPendingImportUntilTheSameMaterialReturns() throws Exception {
        Instant validTo = kms.clock.instant().plus(Duration.ofDays(2));
        importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_256, material, ExpirationModelType.KEY_MATERIAL_EXPIRES, validTo);
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("before expiry"))).ciphertextBlob();
        kms.clock.advance(Duration.ofDays(3));
        assertThat(kms.service.maintenance().run()).isEqualTo(1);
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(blob))).isInstanceOf(KmsInvalidStateException.class);
        assertThat(kms.auditor.named("DeleteExpiredKeyMaterial")).hasSize(1);

        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        assertThatThrownBy(() -> importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_256, other,
                ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, null)).isInstanceOf(IncorrectKeyMaterialException.class);
        importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_256, material, ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
        assertThat(root.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("before expiry");
    }

    @Test
    void deletedMaterialMakesTheKeyUnusableAtOnce() throws Exception {
        importMaterial(AlgorithmSpec.RSAES_OAEP_SHA_256, material, ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, null);
        root.deleteImportedKeyMaterial(r -> r.keyId(keyId));
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThatThrownBy(() -> root.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)))
                .isInstanceOf(KmsInvalidStateException.class);
    }

    @Test
    void importTokenFromAnotherRequestOrAfter24HoursIsRefused() throws Exception {
        GetParametersForImportResponse first = parameters(AlgorithmSpec.RSAES_OAEP_SHA_256);
        GetParametersForImportResponse second = parameters(AlgorithmSpec.RSAES_OAEP_SHA_256);
        byte[] wrapped = wrap(first, AlgorithmSpec.RSAES_OAEP_SHA_256, material);
        assertThatThrownBy(() -> root.importKeyMaterial(r -> r.keyId(keyId).importToken(first.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)))
                .isInstanceOf(InvalidImportTokenException.class);
        kms.clock.advance(Duration.ofHours(25));
        byte[] wrappedForSecond = wrap(second, AlgorithmSpec.RSAES_OAEP_SHA_256, material);
        assertThatThrownBy(() -> root.importKeyMaterial(r -> r.keyId(keyId).importToken(second.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(wrappedForSecond))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.kms.model.KmsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredImportTokenException"));
    }

    @Test
    void importAndRotationRulesFollowAws() {
        String normal = root.createKey(r -> { }).keyMetadata().keyId();
        assertThatThrownBy(() -> root.getParametersForImport(r -> r.keyId(normal).wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> root.enableKeyRotation(r -> r.keyId(keyId))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> root.getParametersForImport(r -> r.keyId(keyId).wrappingAlgorithm(AlgorithmSpec.RSAES_PKCS1_V1_5)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048))).isInstanceOf(UnsupportedOperationException.class);
    }

    private void importMaterial(AlgorithmSpec algorithm, byte[] keyMaterial, ExpirationModelType model, Instant validTo)
            throws Exception {
        GetParametersForImportResponse p = parameters(algorithm);
        byte[] wrapped = wrap(p, algorithm, keyMaterial);
        root.importKeyMaterial(r -> {
            r.keyId(keyId).importToken(p.importToken()).encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped)).expirationModel(model);
            if (validTo != null) {
                r.validTo(validTo);
            }
        });
    }

    private GetParametersForImportResponse parameters(AlgorithmSpec algorithm) {
        GetParametersForImportResponse p = root.getParametersForImport(r -> r.keyId(keyId).wrappingAlgorithm(algorithm)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048));
        assertThat(p.parametersValidTo()).isAfter(kms.clock.instant().plus(Duration.ofHours(23)));
        return p;
    }

    /** What a customer does with the public key: RSA-OAEP with SHA-256 (or SHA-1) and the matching MGF1. */
    private static byte[] wrap(GetParametersForImportResponse p, AlgorithmSpec algorithm, byte[] keyMaterial) throws Exception {
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(p.publicKey().asByteArray()));
        boolean sha256 = algorithm == AlgorithmSpec.RSAES_OAEP_SHA_256;
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, publicKey, new OAEPParameterSpec(sha256 ? "SHA-256" : "SHA-1", "MGF1",
                sha256 ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
        return rsa.doFinal(keyMaterial);
    }
}

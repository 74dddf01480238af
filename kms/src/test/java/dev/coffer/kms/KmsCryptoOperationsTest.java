package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.RotationType;

/** Encrypt, Decrypt, ReEncrypt, data keys, random and rotation through the real AWS SDK KmsClient. */
class KmsCryptoOperationsTest extends WithKmsAndKey {
    @Test
    void encryptThenDecryptWithoutKeyIdReturnsThePlaintext() {
        EncryptResponse encrypted = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("attack at dawn"))
                .encryptionContext(Map.of("purpose", "test", "tenant", "a")));
        assertThat(encrypted.keyId()).endsWith(":key/" + keyId);
        assertThat(encrypted.encryptionAlgorithmAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        DecryptResponse decrypted = root.decrypt(r -> r.ciphertextBlob(encrypted.ciphertextBlob())
                .encryptionContext(Map.of("tenant", "a", "purpose", "test")));
        assertThat(decrypted.plaintext().asUtf8String()).isEqualTo("attack at dawn");
        assertThat(decrypted.keyId()).isEqualTo(encrypted.keyId());
    }

    @Test
    void decryptWithAnyOtherEncryptionContextIsInvalidCiphertext() {
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))
                .encryptionContext(Map.of("k", "v"))).ciphertextBlob();
        for (Map<String, String> wrong : java.util.List.of(Map.<String, String>of(), Map.of("k", "V"), Map.of("K", "v"),
                Map.of("k", "v", "extra", "1"))) {
            assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(wrong)))
                    .isInstanceOf(InvalidCiphertextException.class);
        }
    }

    @Test
    void tamperedCiphertextBlobIsInvalidCiphertext() {
        byte[] blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("secret"))).ciphertextBlob().asByteArray();
        for (int i = 0; i < blob.length; i++) {
            byte[] tampered = blob.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(tampered))))
                    .as("byte %d flipped", i).isInstanceOf(InvalidCiphertextException.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 1);
        assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(truncated))))
                .isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void decryptNamingAnotherKeyIsIncorrectKey() {
        String other = root.createKey(r -> { }).keyMetadata().keyId();
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(blob).keyId(other))).isInstanceOf(IncorrectKeyException.class);
        assertThat(root.decrypt(r -> r.ciphertextBlob(blob).keyId(keyId)).plaintext().asUtf8String()).isEqualTo("x");
    }

    @Test
    void generateDataKeyReturnsAKeyThatDecryptsBackAndWithoutPlaintextHasNone() {
        GenerateDataKeyResponse dk = root.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key")));
        assertThat(dk.plaintext().asByteArray()).hasSize(32);
        assertThat(dk.keyMaterialId()).hasSize(64);
        assertThat(root.decrypt(r -> r.ciphertextBlob(dk.ciphertextBlob())
                .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key"))).plaintext()).isEqualTo(dk.plaintext());
        assertThat(root.generateDataKey(r -> r.keyId(keyId).numberOfBytes(64)).plaintext().asByteArray()).hasSize(64);
        assertThat(root.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_128)).plaintext().asByteArray()).hasSize(16);
        var withoutPlaintext = root.generateDataKeyWithoutPlaintext(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256));
        assertThat(withoutPlaintext.ciphertextBlob().asByteArray()).isNotEmpty();
        assertThat(root.decrypt(r -> r.ciphertextBlob(withoutPlaintext.ciphertextBlob())).plaintext().asByteArray()).hasSize(32);
        assertThatThrownBy(() -> root.generateDataKey(r -> r.keyId(keyId)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> root.generateDataKey(r -> r.keyId(keyId).numberOfBytes(1025)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void plaintextOverFourKibibytesIsRefused() {
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(new byte[4097]))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(new byte[4096]))).ciphertextBlob()).isNotNull();
    }

    @Test
    void reEncryptMovesCiphertextToAnotherKeyAndContext() {
        String other = root.createKey(r -> { }).keyMetadata().keyId();
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("moving"))
                .encryptionContext(Map.of("a", "1"))).ciphertextBlob();
        var moved = root.reEncrypt(r -> r.ciphertextBlob(blob).sourceEncryptionContext(Map.of("a", "1"))
                .destinationKeyId(other).destinationEncryptionContext(Map.of("b", "2")));
        assertThat(moved.sourceKeyId()).endsWith(keyId);
        assertThat(moved.keyId()).endsWith(other);
        assertThat(root.decrypt(r -> r.ciphertextBlob(moved.ciphertextBlob()).encryptionContext(Map.of("b", "2")))
                .plaintext().asUtf8String()).isEqualTo("moving");
    }

    @Test
    void generateRandomReturnsTheRequestedLength() {
        assertThat(root.generateRandom(r -> r.numberOfBytes(1024)).plaintext().asByteArray()).hasSize(1024);
        assertThat(root.generateRandom(r -> r.numberOfBytes(16)).plaintext())
                .isNotEqualTo(root.generateRandom(r -> r.numberOfBytes(16)).plaintext());
    }

    @Test
    void rotationAcrossSimulatedYearsKeepsTheKeyIdAndEveryOldCiphertextDecrypting() {
        root.enableKeyRotation(r -> r.keyId(keyId).rotationPeriodInDays(90));
        var status = root.getKeyRotationStatus(r -> r.keyId(keyId));
        assertThat(status.keyRotationEnabled()).isTrue();
        assertThat(status.rotationPeriodInDays()).isEqualTo(90);
        java.util.List<SdkBytes> blobs = new java.util.ArrayList<>();
        java.util.Set<String> materialIds = new java.util.HashSet<>();
        for (int quarter = 0; quarter < 8; quarter++) {
            int q = quarter;
            blobs.add(root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("quarter " + q))).ciphertextBlob());
            materialIds.add(root.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)).keyMaterialId());
            kms.clock.advance(Duration.ofDays(91));
            kms.service.maintenance().run();
        }
        assertThat(materialIds).hasSize(8);
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyId()).isEqualTo(keyId);
        for (int quarter = 0; quarter < blobs.size(); quarter++) {
            SdkBytes blob = blobs.get(quarter);
            assertThat(root.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("quarter " + quarter);
        }
        var rotations = root.listKeyRotations(r -> r.keyId(keyId)).rotations();
        assertThat(rotations).hasSize(8).allSatisfy(rot -> assertThat(rot.rotationType()).isEqualTo(RotationType.AUTOMATIC));
        assertThat(kms.auditor.named("RotateKey")).hasSize(8);
    }

    @Test
    void rotationPeriodOutsideNinetyTo2560DaysIsRefused() {
        assertThatThrownBy(() -> root.enableKeyRotation(r -> r.keyId(keyId).rotationPeriodInDays(89)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> root.enableKeyRotation(r -> r.keyId(keyId).rotationPeriodInDays(2561)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void onDemandRotationIsCappedAndDoesNotResetTheSchedule() {
        root.enableKeyRotation(r -> r.keyId(keyId));
        var before = root.getKeyRotationStatus(r -> r.keyId(keyId)).nextRotationDate();
        SdkBytes old = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("old"))).ciphertextBlob();
        for (int i = 0; i < 10; i++) {
            root.rotateKeyOnDemand(r -> r.keyId(keyId));
        }
        assertThatThrownBy(() -> root.rotateKeyOnDemand(r -> r.keyId(keyId))).isInstanceOf(LimitExceededException.class);
        assertThat(root.getKeyRotationStatus(r -> r.keyId(keyId)).nextRotationDate()).isEqualTo(before);
        assertThat(root.listKeyRotations(r -> r.keyId(keyId)).rotations())
                .hasSize(10).allSatisfy(rot -> assertThat(rot.rotationType()).isEqualTo(RotationType.ON_DEMAND));
        assertThat(root.decrypt(r -> r.ciphertextBlob(old)).plaintext().asUtf8String()).isEqualTo("old");
    }

    @Test
    void auditRecordsNeverContainPlaintextOrKeys() {
        var dk = root.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32));
        root.decrypt(r -> r.ciphertextBlob(dk.ciphertextBlob()));
        String plaintextB64 = java.util.Base64.getEncoder().encodeToString(dk.plaintext().asByteArray());
        for (RecordingAuditor.Event e : kms.auditor.events) {
            assertThat(String.valueOf(e.requestParameters())).doesNotContain(plaintextB64).doesNotContain("iphertext");
            assertThat(String.valueOf(e.responseElements())).doesNotContain(plaintextB64);
        }
    }
}

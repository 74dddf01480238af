package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.hsm.Pkcs11Hsm;
import dev.coffer.kms.hsm.SoftHsm2Fixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * The whole KMS on a SoftHSM2 token through PKCS#11, as CI runs it: keys, rotations and data keys
 * survive a restart, and the key material objects on the token are sensitive and never extractable
 * when read from outside the JVM with pkcs11-tool.
 */
class KmsOnSoftHsmIT {
    @TempDir
    Path dir;

    @Test
    void keysSurviveARestartAndTheirMaterialNeverLeavesTheToken() throws Exception {
        SoftHsm2Fixture softHsm = SoftHsm2Fixture.get();
        KmsFixture.HsmOpener token = d -> Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL, softHsm.pinFile());
        String keyId;
        SdkBytes beforeRotation;
        SdkBytes afterRotation;
        SdkBytes dataKeyBlob;
        SdkBytes dataKey;
        try (KmsFixture kms = new KmsFixture(dir, KmsConfig.defaults("us-east-1"), token)) {
            keyId = kms.root.createKey(r -> r.description("on softhsm")).keyMetadata().keyId();
            String id = keyId;
            beforeRotation = kms.root.encrypt(r -> r.keyId(id).plaintext(SdkBytes.fromUtf8String("v1"))).ciphertextBlob();
            kms.root.rotateKeyOnDemand(r -> r.keyId(id));
            afterRotation = kms.root.encrypt(r -> r.keyId(id).plaintext(SdkBytes.fromUtf8String("v2"))).ciphertextBlob();
            var dk = kms.root.generateDataKey(r -> r.keyId(id).keySpec(DataKeySpec.AES_256).encryptionContext(Map.of("a", "b")));
            dataKeyBlob = dk.ciphertextBlob();
            dataKey = dk.plaintext();
        }
        try (KmsFixture kms = new KmsFixture(dir, KmsConfig.defaults("us-east-1"), token)) {
            assertThat(kms.root.decrypt(r -> r.ciphertextBlob(beforeRotation)).plaintext().asUtf8String()).isEqualTo("v1");
            assertThat(kms.root.decrypt(r -> r.ciphertextBlob(afterRotation)).plaintext().asUtf8String()).isEqualTo("v2");
            assertThat(kms.root.decrypt(r -> r.ciphertextBlob(dataKeyBlob).encryptionContext(Map.of("a", "b"))).plaintext())
                    .isEqualTo(dataKey);
        }
        List<SoftHsm2Fixture.TokenObject> objects = softHsm.listObjects(SoftHsm2Fixture.TOKEN_LABEL);
        for (String version : List.of("v1", "v2")) {
            String label = "kms/" + keyId + "/" + version;
            assertThat(objects).filteredOn(o -> label.equals(o.attributes().get("label"))).singleElement().satisfies(o ->
                    assertThat(o.attributes().get("Access")).contains("sensitive").contains("never extractable"));
        }
    }
}

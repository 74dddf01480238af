package dev.coffer.kms.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KmsKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordTypeSurvivesReopeningUnchanged() {
        Instant t = Instant.parse("2026-05-01T10:15:30.123Z");
        KmsKey key = new KmsKey.Builder().keyId("1234abcd-12ab-34cd-56ef-1234567890ab").accountId("111122223333")
                .region("us-east-1").creationDate(t).description("d").origin(KmsKey.ORIGIN_EXTERNAL)
                .keyManager(KmsKey.MANAGER_CUSTOMER).keyState(KeyState.Enabled).rotationEnabled(true)
                .rotationPeriodInDays(365).nextRotationDate(t.plusSeconds(60)).onDemandRotations(2)
                .expirationModel("KEY_MATERIAL_EXPIRES").policy("{\"Version\":\"2012-10-17\"}").tags(Map.of("a", "b"))
                .addMaterial(new KeyMaterial(1, "ab".repeat(32), "kms/x/v1", t, null, true, t.plusSeconds(3600), true, "ff"))
                .build();
        KmsAlias alias = new KmsAlias("alias/a", key.keyId(), t, t);
        KmsGrant grant = new KmsGrant("g1", key.keyId(), "n", "arn:aws:iam::111122223333:user/u", null, "111122223333",
                List.of("Decrypt"), Map.of("k", "v"), null, t, null);
        ImportParameters params = new ImportParameters(key.keyId(), "tok", "RSAES_OAEP_SHA_256", "RSA_2048", "pub", "sealed", "iv", t);
        try (KmsKeyStore store = KmsKeyStore.open(dir)) {
            store.createKey(key, alias);
            store.putGrant(grant);
            store.putImportParameters(params);
        }
        try (KmsKeyStore store = KmsKeyStore.open(dir)) {
            assertThat(store.key(key.keyId())).contains(key);
            assertThat(store.alias("alias/a")).contains(alias);
            assertThat(store.grants(key.keyId())).containsExactly(grant);
            assertThat(store.importParameters(key.keyId())).contains(params);
            store.deleteKey(key.keyId());
        }
        try (KmsKeyStore store = KmsKeyStore.open(dir)) {
            assertThat(store.keyCount()).isZero();
            assertThat(store.aliases()).isEmpty();
            assertThat(store.grants(key.keyId())).isEmpty();
            assertThat(store.importParameters(key.keyId())).isEmpty();
        }
    }
}

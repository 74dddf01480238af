package dev.coffer.kms;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/** A fresh in-process KMS per test with one customer managed key, for the tests that start from there. */
abstract class WithKmsAndKey {
    @TempDir
    Path dir;
    KmsFixture kms;
    KmsClient root;
    String keyId;

    @BeforeEach
    void startKmsWithKey() throws Exception {
        kms = new KmsFixture(dir);
        root = kms.root;
        keyId = root.createKey(r -> { }).keyMetadata().keyId();
    }

    @AfterEach
    void stopKms() {
        kms.close();
    }
}

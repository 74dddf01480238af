package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The SSE-S3 service key {@code alias/coffer/sse-s3}: created on first use by the S3 service, usable
 * only by that service calling as itself, readable but not manageable by the account root, and its
 * alias prefix reserved.
 */
class KmsCofferServiceKeyTest {
    private static final String SSE_S3 = "alias/coffer/sse-s3";
    private static final Map<String, String> CONTEXT = Map.of("aws:s3:arn", "arn:aws:s3:::bucket/object");
    private static final String DATA_KEYS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""";
    /** A policy that would hand the key to the root, which the root must not be able to install. */
    private static final String ROOT_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}""";

    @TempDir
    Path dir;
    KmsFixture kms;
    KmsClient root;

    @BeforeEach
    void startKms() throws Exception {
        kms = new KmsFixture(dir);
        root = kms.root;
    }

    @AfterEach
    void stopKms() {
        kms.close();
    }

    @Test
    void isCreatedOnFirstUseByTheS3ServiceAndListedOnlyOnceItExists() {
        assertThat(root.listAliases().aliases()).extracting(AliasListEntry::aliasName).doesNotContain(SSE_S3);
        try (KmsClient s3 = kms.serviceClient("s3", null)) {
            var dk = s3.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256").encryptionContext(CONTEXT));
            assertThat(dk.plaintext().asByteArray()).hasSize(32);
            assertThat(s3.decrypt(r -> r.keyId(dk.keyId()).ciphertextBlob(dk.ciphertextBlob()).encryptionContext(CONTEXT))
                    .plaintext()).isEqualTo(dk.plaintext());
            assertThat(s3.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256")).keyId())
                    .as("the second use finds the same key").isEqualTo(dk.keyId());
        }
        KeyMetadata key = root.describeKey(r -> r.keyId(SSE_S3)).keyMetadata();
        assertThat(key.keyManagerAsString()).isEqualTo("AWS");
        assertThat(key.description()).contains("SSE-S3");
        assertThat(root.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();
        assertThat(root.getKeyRotationStatus(r -> r.keyId(key.keyId())).rotationPeriodInDays()).isEqualTo(365);
        assertThat(root.listAliases().aliases()).extracting(AliasListEntry::aliasName).contains(SSE_S3);
    }

    @Test
    void neitherRootNorAUserWithKmsStarCanUseItForCryptography() {
        KmsFixture.UserKey admin = kms.userKey("admin", DATA_KEYS);
        for (KmsClient caller : List.of(root, admin.client())) {
            assertAccessDenied(() -> caller.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256")));
        }
        SdkBytes blob;
        try (KmsClient s3 = kms.serviceClient("s3", null)) {
            blob = s3.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256").encryptionContext(CONTEXT)).ciphertextBlob();
        }
        for (KmsClient caller : List.of(root, admin.client())) {
            assertAccessDenied(() -> caller.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)));
        }
    }

    @Test
    void aUserCannotUseItThroughS3EitherOnlyTheServiceAsItself() {
        KmsFixture.UserKey admin = kms.userKey("admin", DATA_KEYS);
        try (KmsClient viaS3 = kms.serviceClient("s3", admin.accessKeyId())) {
            assertAccessDenied(() -> viaS3.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256")));
        }
        try (KmsClient ec2 = kms.serviceClient("ec2", null)) {
            assertAccessDenied(() -> ec2.generateDataKey(r -> r.keyId(SSE_S3).keySpec("AES_256")));
        }
    }

    @Test
    void rootCanDescribeButNotManageIt() {
        String keyId = root.describeKey(r -> r.keyId(SSE_S3)).keyMetadata().keyId();
        assertThat(root.getKeyPolicy(r -> r.keyId(keyId)).policy()).contains("s3.amazonaws.com");
        for (Runnable manage : List.<Runnable>of(
                () -> root.disableKey(r -> r.keyId(keyId)),
                () -> root.scheduleKeyDeletion(r -> r.keyId(keyId)),
                () -> root.putKeyPolicy(r -> r.keyId(keyId).policy(ROOT_ONLY.formatted(kms.account()))),
                () -> root.disableKeyRotation(r -> r.keyId(keyId)),
                () -> root.createAlias(r -> r.aliasName("alias/mine").targetKeyId(keyId)))) {
            assertAccessDenied(manage);
        }
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().enabled()).isTrue();
    }

    @Test
    void theCofferAliasPrefixIsReserved() {
        String own = root.createKey(r -> { }).keyMetadata().keyId();
        root.describeKey(r -> r.keyId(SSE_S3));
        assertThatThrownBy(() -> root.createAlias(r -> r.aliasName("alias/coffer/mine").targetKeyId(own)))
                .isInstanceOf(InvalidAliasNameException.class);
        assertThatThrownBy(() -> root.updateAlias(r -> r.aliasName(SSE_S3).targetKeyId(own)))
                .isInstanceOf(InvalidAliasNameException.class);
        assertThatThrownBy(() -> root.deleteAlias(r -> r.aliasName(SSE_S3)))
                .isInstanceOf(InvalidAliasNameException.class);
    }

    private static void assertAccessDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
}

package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;

/** Key lifecycle, aliases, tags and policies through the real AWS SDK KmsClient. */
class KmsKeyLifecycleTest {
    @TempDir
    Path dir;
    KmsFixture kms;
    KmsClient root;

    @BeforeEach
    void start() throws Exception {
        kms = new KmsFixture(dir);
        root = kms.root;
    }

    @AfterEach
    void stop() {
        kms.close();
    }

    @Test
    void createdKeyIsEnabledSymmetricAndDescribedLikeAws() {
        CreateKeyResponse created = root.createKey(r -> r.description("orders"));
        KeyMetadata m = created.keyMetadata();
        assertThat(m.keyId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(m.arn()).isEqualTo("arn:aws:kms:us-east-1:" + kms.account() + ":key/" + m.keyId());
        assertThat(m.awsAccountId()).isEqualTo(kms.account());
        assertThat(m.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(m.enabled()).isTrue();
        assertThat(m.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(m.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(m.originAsString()).isEqualTo("AWS_KMS");
        assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
        assertThat(m.description()).isEqualTo("orders");
        assertThat(m.creationDate()).isNotNull();
        assertThat(root.describeKey(r -> r.keyId(m.arn())).keyMetadata().keyId()).isEqualTo(m.keyId());
    }

    @Test
    void otherKeySpecsAnswerUnsupportedOperation() {
        assertThatThrownBy(() -> root.createKey(r -> r.keySpec("RSA_2048").keyUsage("SIGN_VERIFY")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("RSA_2048");
        assertThatThrownBy(() -> root.createKey(r -> r.keySpec("NOT_A_SPEC")))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void unknownKeyIsNotFound() {
        assertThatThrownBy(() -> root.describeKey(r -> r.keyId("11111111-2222-3333-4444-555555555555")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> root.describeKey(r -> r.keyId("alias/nothing"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void disabledKeyRefusesUseUntilEnabledAgain() {
        String keyId = root.createKey(r -> { }).keyMetadata().keyId();
        root.disableKey(r -> r.keyId(keyId));
        assertThat(root.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(DisabledException.class).hasMessageContaining("is disabled");
        root.enableKey(r -> r.keyId(keyId));
        assertThat(root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob()).isNotNull();
    }

    @Test
    void scheduledDeletionWaitsItsWindowThenDeletesAndCancelLeavesDisabled() {
        String a = root.createKey(r -> { }).keyMetadata().keyId();
        String b = root.createKey(r -> { }).keyMetadata().keyId();
        assertThatThrownBy(() -> root.scheduleKeyDeletion(r -> r.keyId(a).pendingWindowInDays(6)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        var scheduled = root.scheduleKeyDeletion(r -> r.keyId(a).pendingWindowInDays(7));
        assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
        root.scheduleKeyDeletion(r -> r.keyId(b));
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId(a).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("pending deletion");

        root.cancelKeyDeletion(r -> r.keyId(b));
        assertThat(root.describeKey(r -> r.keyId(b)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertThatThrownBy(() -> root.cancelKeyDeletion(r -> r.keyId(b))).isInstanceOf(KmsInvalidStateException.class);

        kms.clock.advance(Duration.ofDays(6));
        kms.service.maintenance().run();
        assertThat(root.describeKey(r -> r.keyId(a)).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_DELETION);
        kms.clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(kms.service.maintenance().run()).isEqualTo(1);
        assertThatThrownBy(() -> root.describeKey(r -> r.keyId(a))).isInstanceOf(NotFoundException.class);
        assertThat(kms.auditor.named("DeleteKey")).hasSize(1);
        assertThat(root.describeKey(r -> r.keyId(b)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
    }

    @Test
    void aliasesNameKeysAndFollowAwsRules() {
        String a = root.createKey(r -> { }).keyMetadata().keyId();
        String b = root.createKey(r -> { }).keyMetadata().keyId();
        root.createAlias(r -> r.aliasName("alias/orders").targetKeyId(a));
        assertThat(root.describeKey(r -> r.keyId("alias/orders")).keyMetadata().keyId()).isEqualTo(a);
        assertThat(root.describeKey(r -> r.keyId("arn:aws:kms:us-east-1:" + kms.account() + ":alias/orders"))
                .keyMetadata().keyId()).isEqualTo(a);
        assertThatThrownBy(() -> root.createAlias(r -> r.aliasName("alias/orders").targetKeyId(b)))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> root.createAlias(r -> r.aliasName("orders").targetKeyId(b)))
                .isInstanceOf(InvalidAliasNameException.class);
        assertThatThrownBy(() -> root.createAlias(r -> r.aliasName("alias/aws/mine").targetKeyId(b)))
                .isInstanceOf(InvalidAliasNameException.class);
        root.updateAlias(r -> r.aliasName("alias/orders").targetKeyId(b));
        assertThat(root.describeKey(r -> r.keyId("alias/orders")).keyMetadata().keyId()).isEqualTo(b);
        assertThat(root.listAliases(r -> r.keyId(b)).aliases()).extracting(x -> x.aliasName()).containsExactly("alias/orders");
        assertThat(root.listAliases().aliases()).extracting(x -> x.aliasName())
                .contains("alias/orders", "alias/aws/s3", "alias/aws/ebs");
        root.deleteAlias(r -> r.aliasName("alias/orders"));
        assertThatThrownBy(() -> root.describeKey(r -> r.keyId("alias/orders"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void awsManagedKeyIsCreatedOnFirstUseAndCannotBeManaged() {
        KeyMetadata s3 = root.describeKey(r -> r.keyId("alias/aws/s3")).keyMetadata();
        assertThat(s3.keyManagerAsString()).isEqualTo("AWS");
        assertThat(root.describeKey(r -> r.keyId("alias/aws/s3")).keyMetadata().keyId()).isEqualTo(s3.keyId());
        assertThat(root.getKeyRotationStatus(r -> r.keyId(s3.keyId())).keyRotationEnabled()).isTrue();
        // The managed key's policy grants management to nobody, so AWS (and Coffer) refuse it as access denied.
        for (Runnable manage : List.<Runnable>of(
                () -> root.scheduleKeyDeletion(r -> r.keyId(s3.keyId())),
                () -> root.disableKeyRotation(r -> r.keyId(s3.keyId())),
                () -> root.disableKey(r -> r.keyId(s3.keyId())),
                () -> root.putKeyPolicy(r -> r.keyId(s3.keyId()).policy("{}")))) {
            assertThatThrownBy(manage::run).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
        // Direct use by the account is not allowed either: only through the service (kms:ViaService).
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId("alias/aws/s3").plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void listKeysPagesThroughEveryKey() {
        for (int i = 0; i < 7; i++) {
            root.createKey(r -> { });
        }
        var first = root.listKeys(r -> r.limit(3));
        assertThat(first.keys()).hasSize(3);
        assertThat(first.truncated()).isTrue();
        var second = root.listKeys(r -> r.limit(3).marker(first.nextMarker()));
        var third = root.listKeys(r -> r.limit(3).marker(second.nextMarker()));
        assertThat(third.truncated()).isFalse();
        assertThat(first.keys().size() + second.keys().size() + third.keys().size()).isEqualTo(7);
    }

    @Test
    void keyQuotaIsEnforcedWithLimitExceeded() throws Exception {
        kms.close();
        kms = new KmsFixture(dir.resolve("small"), new KmsConfig("us-east-1", 2, 64 * 1024, 1000, Duration.ofSeconds(5)));
        kms.root.createKey(r -> { });
        kms.root.createKey(r -> { });
        assertThatThrownBy(() -> kms.root.createKey(r -> { })).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void tagsAreAddedListedAndRemoved() {
        String keyId = root.createKey(r -> r.tags(t -> t.tagKey("team").tagValue("payments"))).keyMetadata().keyId();
        root.tagResource(r -> r.keyId(keyId).tags(t -> t.tagKey("env").tagValue("prod")));
        assertThat(root.listResourceTags(r -> r.keyId(keyId)).tags()).extracting(t -> t.tagKey() + "=" + t.tagValue())
                .containsExactly("env=prod", "team=payments");
        for (String marker : List.of("-1", "next", "2147483648")) {
            assertThatThrownBy(() -> root.listResourceTags(r -> r.keyId(keyId).marker(marker)))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidMarkerException"));
        }
        root.untagResource(r -> r.keyId(keyId).tagKeys("team"));
        assertThat(root.listResourceTags(r -> r.keyId(keyId)).tags()).extracting(t -> t.tagKey()).containsExactly("env");
        assertThatThrownBy(() -> root.tagResource(r -> r.keyId(keyId).tags(t -> t.tagKey("aws:reserved").tagValue("x"))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TagException"));
    }

    @Test
    void defaultPolicyIsAwsDefaultAndPutKeyPolicyValidates() {
        String keyId = root.createKey(r -> { }).keyMetadata().keyId();
        String policy = root.getKeyPolicy(r -> r.keyId(keyId)).policy();
        assertThat(policy).contains("Enable IAM User Permissions", "arn:aws:iam::" + kms.account() + ":root", "\"kms:*\"");
        assertThat(root.listKeyPolicies(r -> r.keyId(keyId)).policyNames()).containsExactly("default");
        assertThatThrownBy(() -> root.putKeyPolicy(r -> r.keyId(keyId).policy("{not json")))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocumentException"));
        String lockout = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + kms.account() + ":user/nobody\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        assertThatThrownBy(() -> root.putKeyPolicy(r -> r.keyId(keyId).policy(lockout)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.getMessage()).contains("will not allow you to update"));
        root.putKeyPolicy(r -> r.keyId(keyId).policy(lockout).bypassPolicyLockoutSafetyCheck(true));
        assertThat(kms.keys.key(keyId).orElseThrow().policy()).isEqualTo(lockout);
        // The root locked itself out: the key policy no longer names its account, so even root is denied.
        assertThatThrownBy(() -> root.getKeyPolicy(r -> r.keyId(keyId)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void everyCallIsAuditedWithItsKey() {
        String keyId = root.createKey(r -> { }).keyMetadata().keyId();
        root.describeKey(r -> r.keyId(keyId));
        assertThatThrownBy(() -> root.describeKey(r -> r.keyId("alias/missing"))).isInstanceOf(NotFoundException.class);
        List<RecordingAuditor.Event> describes = kms.auditor.named("DescribeKey");
        assertThat(describes).hasSize(2);
        assertThat(describes.get(0).keyArns()).containsExactly("arn:aws:kms:us-east-1:" + kms.account() + ":key/" + keyId);
        assertThat(describes.get(1).error()).isEqualTo(KmsError.NOT_FOUND);
        assertThat(kms.auditor.named("CreateKey").getFirst().principalArn()).isEqualTo("arn:aws:iam::" + kms.account() + ":root");
    }
}

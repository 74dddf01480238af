package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamAccessKeyActionsTest {
    private static final String ALLOW_SELF_SERVICE_KEYS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Action":["iam:CreateAccessKey","iam:ListAccessKeys","iam:DeleteAccessKey","iam:GetUser"],
             "Resource":"arn:aws:iam::*:user/${aws:username}"}]}""";

    @TempDir
    Path dir;

    private IamFixture iam;
    private IamTestClient root;

    @BeforeEach
    void open() {
        iam = new IamFixture(dir);
        root = iam.root();
    }

    @AfterEach
    void close() {
        iam.close();
    }

    @Test
    void createAccessKeyReturnsTheSecretOnceInTheIamShapeAndTheKeySignsRequests() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "keys", "PolicyDocument", ALLOW_SELF_SERVICE_KEYS)
                .expectOk();

        IamTestReply created = root.call("CreateAccessKey", "UserName", "alice").expectOk();

        assertThat(created.rootName()).isEqualTo("CreateAccessKeyResponse");
        assertThat(created.childNames("CreateAccessKeyResult")).containsExactly("AccessKey");
        assertThat(created.childNames("AccessKey"))
                .containsExactly("UserName", "AccessKeyId", "Status", "SecretAccessKey", "CreateDate");
        assertThat(created.text("UserName")).isEqualTo("alice");
        assertThat(created.text("AccessKeyId")).matches("AKIA[A-Z2-7]{16}");
        assertThat(created.text("Status")).isEqualTo("Active");
        assertThat(created.text("SecretAccessKey")).hasSize(40);
        assertThat(created.text("CreateDate")).isEqualTo("2026-11-28T12:00:00Z");

        IamTestClient alice = new IamTestClient(iam.service, created.text("AccessKeyId"), created.text("SecretAccessKey"));
        assertThat(alice.call("GetUser").expectOk().text("UserName")).isEqualTo("alice");
    }

    @Test
    void theSecretAppearsInNoResponseButCreateAccessKeys() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        IamTestReply created = root.call("CreateAccessKey", "UserName", "alice").expectOk();
        String secret = created.text("SecretAccessKey");

        List<IamTestReply> others = List.of(
                root.call("ListAccessKeys", "UserName", "alice"),
                root.call("GetUser", "UserName", "alice"),
                root.call("ListUsers"),
                root.call("DeleteUser", "UserName", "alice"),
                root.call("DeleteAccessKey", "UserName", "alice", "AccessKeyId", created.text("AccessKeyId")));

        assertThat(others).allSatisfy(reply -> assertThat(reply.body).doesNotContain(secret));
    }

    @Test
    void listAccessKeysDescribesEachKeyWithoutItsSecret() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        String first = root.call("CreateAccessKey", "UserName", "alice").expectOk().text("AccessKeyId");
        String second = root.call("CreateAccessKey", "UserName", "alice").expectOk().text("AccessKeyId");

        IamTestReply listed = root.call("ListAccessKeys", "UserName", "alice").expectOk();

        assertThat(listed.rootName()).isEqualTo("ListAccessKeysResponse");
        assertThat(listed.memberFields("AccessKeyMetadata")).containsExactlyInAnyOrder(
                Map.of("UserName", "alice", "AccessKeyId", first, "Status", "Active", "CreateDate", "2026-11-28T12:00:00Z"),
                Map.of("UserName", "alice", "AccessKeyId", second, "Status", "Active", "CreateDate", "2026-11-28T12:00:00Z"));
        assertThat(listed.text("IsTruncated")).isEqualTo("false");
        assertThat(listed.count("SecretAccessKey")).isZero();
    }

    @Test
    void listAccessKeysPagesWithMaxItemsAndMarker() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        root.call("CreateAccessKey", "UserName", "alice").expectOk();
        root.call("CreateAccessKey", "UserName", "alice").expectOk();

        IamTestReply first = root.call("ListAccessKeys", "UserName", "alice", "MaxItems", "1").expectOk();
        assertThat(first.text("IsTruncated")).isEqualTo("true");
        IamTestReply second = root.call("ListAccessKeys", "UserName", "alice", "MaxItems", "1", "Marker", first.text("Marker"))
                .expectOk();

        assertThat(second.text("IsTruncated")).isEqualTo("false");
        assertThat(second.memberFields("AccessKeyMetadata")).hasSize(1);
        assertThat(second.memberFields("AccessKeyMetadata").getFirst().get("AccessKeyId"))
                .isNotEqualTo(first.memberFields("AccessKeyMetadata").getFirst().get("AccessKeyId"));
    }

    @Test
    void withoutAUserNameTheKeyActionsActOnTheCallingUser() {
        IamTestClient alice = iam.user("alice", ALLOW_SELF_SERVICE_KEYS);

        IamTestReply created = alice.call("CreateAccessKey").expectOk();
        assertThat(created.text("UserName")).isEqualTo("alice");
        assertThat(alice.call("ListAccessKeys").expectOk().memberFields("AccessKeyMetadata"))
                .extracting(k -> k.get("AccessKeyId")).containsExactlyInAnyOrder(alice.accessKeyId(), created.text("AccessKeyId"));

        alice.call("DeleteAccessKey", "AccessKeyId", created.text("AccessKeyId")).expectOk();
        assertThat(alice.call("ListAccessKeys").expectOk().memberFields("AccessKeyMetadata"))
                .extracting(k -> k.get("AccessKeyId")).containsExactly(alice.accessKeyId());
    }

    @Test
    void aThirdAccessKeyIsLimitExceeded() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        root.call("CreateAccessKey", "UserName", "alice").expectOk();
        root.call("CreateAccessKey", "UserName", "alice").expectOk();

        root.call("CreateAccessKey", "UserName", "alice").expectError("LimitExceeded", 409);
    }

    @Test
    void aDeletedAccessKeyNoLongerAuthenticates() {
        IamTestClient alice = iam.user("alice", ALLOW_SELF_SERVICE_KEYS);
        alice.call("GetUser").expectOk();

        root.call("DeleteAccessKey", "UserName", "alice", "AccessKeyId", alice.accessKeyId()).expectOk();

        alice.call("GetUser").expectError("InvalidClientTokenId", 403);
        root.call("DeleteAccessKey", "UserName", "alice", "AccessKeyId", alice.accessKeyId()).expectError("NoSuchEntity", 404);
    }

    @Test
    void anAccessKeyCannotBeDeletedThroughAnotherUsersName() {
        IamTestClient alice = iam.user("alice");
        root.call("CreateUser", "UserName", "bob").expectOk();

        root.call("DeleteAccessKey", "UserName", "bob", "AccessKeyId", alice.accessKeyId()).expectError("NoSuchEntity", 404);
        assertThat(root.call("ListAccessKeys", "UserName", "alice").expectOk().memberFields("AccessKeyMetadata")).hasSize(1);
    }

    @Test
    void createAccessKeyForAMissingUserIsNoSuchEntity() {
        root.call("CreateAccessKey", "UserName", "nobody").expectError("NoSuchEntity", 404);
        root.call("ListAccessKeys", "UserName", "nobody").expectError("NoSuchEntity", 404);
    }

    @Test
    void theRootMayNotCreateOrDeleteRootAccessKeysButSeesTheKeyItSignsWith() {
        String message = root.call("CreateAccessKey").expectError("AccessDenied", 403).errorMessage();
        assertThat(message).contains("configuration");
        root.call("DeleteAccessKey", "AccessKeyId", IamFixture.ROOT_ACCESS_KEY).expectError("AccessDenied", 403);

        IamTestReply listed = root.call("ListAccessKeys").expectOk();
        assertThat(listed.memberFields("AccessKeyMetadata"))
                .containsExactly(Map.of("AccessKeyId", IamFixture.ROOT_ACCESS_KEY, "Status", "Active"));
        assertThat(listed.text("IsTruncated")).isEqualTo("false");
        root.call("GetUser").expectOk();
    }
}

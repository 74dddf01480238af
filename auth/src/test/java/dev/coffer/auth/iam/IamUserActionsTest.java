package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamUserActionsTest {
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
    void createUserAnswersInTheIamXmlShape() {
        IamTestReply reply = root.call("CreateUser", "UserName", "alice").expectOk();

        assertThat(reply.header("Content-Type")).isEqualTo("text/xml");
        assertThat(reply.header("x-amzn-RequestId")).isEqualTo(reply.requestId);
        assertThat(reply.xml.getDocumentElement().getNamespaceURI()).isEqualTo(IamTestReply.NS);
        assertThat(reply.rootName()).isEqualTo("CreateUserResponse");
        assertThat(reply.childNames("CreateUserResponse")).containsExactly("CreateUserResult", "ResponseMetadata");
        assertThat(reply.childNames("CreateUserResult")).containsExactly("User");
        assertThat(reply.childNames("User")).containsExactly("Path", "UserName", "UserId", "Arn", "CreateDate");
        assertThat(reply.text("Path")).isEqualTo("/");
        assertThat(reply.text("UserName")).isEqualTo("alice");
        assertThat(reply.text("UserId")).matches("AIDA[A-Z2-7]{17}");
        assertThat(reply.text("Arn")).isEqualTo(iam.userArn("/alice"));
        assertThat(reply.text("CreateDate")).isEqualTo("2026-11-28T12:00:00Z");
        assertThat(reply.text("RequestId")).isEqualTo(reply.requestId);
    }

    @Test
    void createUserWithAPathPutsThePathInTheArn() {
        IamTestReply reply = root.call("CreateUser", "UserName", "bob", "Path", "/team/ops/").expectOk();

        assertThat(reply.text("Path")).isEqualTo("/team/ops/");
        assertThat(reply.text("Arn")).isEqualTo(iam.userArn("/team/ops/bob"));
    }

    @Test
    void creatingAUserTwiceIgnoringCaseIsEntityAlreadyExists() {
        root.call("CreateUser", "UserName", "alice").expectOk();

        IamTestReply reply = root.call("CreateUser", "UserName", "ALICE").expectError("EntityAlreadyExists", 409);
        assertThat(reply.text("Type")).isEqualTo("Sender");
        assertThat(reply.childNames("Error")).containsExactly("Type", "Code", "Message");
        assertThat(reply.childNames("ErrorResponse")).containsExactly("Error", "RequestId");
    }

    @Test
    void getUserByNameDescribesThatUserAndDeleteUserRemovesIt() {
        String userId = root.call("CreateUser", "UserName", "alice", "Path", "/x/").expectOk().text("UserId");

        IamTestReply got = root.call("GetUser", "UserName", "alice").expectOk();
        assertThat(got.rootName()).isEqualTo("GetUserResponse");
        assertThat(got.childNames("GetUserResult")).containsExactly("User");
        assertThat(got.text("UserId")).isEqualTo(userId);
        assertThat(got.text("Arn")).isEqualTo(iam.userArn("/x/alice"));

        IamTestReply deleted = root.call("DeleteUser", "UserName", "alice").expectOk();
        assertThat(deleted.rootName()).isEqualTo("DeleteUserResponse");
        assertThat(deleted.childNames("DeleteUserResponse")).containsExactly("ResponseMetadata");

        root.call("GetUser", "UserName", "alice").expectError("NoSuchEntity", 404);
        root.call("DeleteUser", "UserName", "alice").expectError("NoSuchEntity", 404);
    }

    @Test
    void getUserWithoutANameDescribesTheCallingUser() {
        IamTestClient alice = iam.user("alice", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}""");

        IamTestReply reply = alice.call("GetUser").expectOk();

        assertThat(reply.text("UserName")).isEqualTo("alice");
        assertThat(reply.text("Arn")).isEqualTo(iam.userArn("/alice"));
    }

    @Test
    void getUserWithoutANameForTheRootAnswersTheRootShape() {
        IamTestReply reply = root.call("GetUser").expectOk();

        assertThat(reply.childNames("User")).containsExactly("UserId", "Arn");
        assertThat(reply.text("UserId")).isEqualTo(iam.account());
        assertThat(reply.text("Arn")).isEqualTo("arn:aws:iam::" + iam.account() + ":root");
    }

    @Test
    void deletingAUserWithAccessKeysOrPoliciesIsDeleteConflict() {
        root.call("CreateUser", "UserName", "alice").expectOk();
        String keyId = root.call("CreateAccessKey", "UserName", "alice").expectOk().text("AccessKeyId");
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "s3", "PolicyDocument", IamFixture.POLICY_ALLOW_S3)
                .expectOk();

        root.call("DeleteUser", "UserName", "alice").expectError("DeleteConflict", 409);
        root.call("DeleteAccessKey", "UserName", "alice", "AccessKeyId", keyId).expectOk();
        root.call("DeleteUser", "UserName", "alice").expectError("DeleteConflict", 409);
        root.call("DeleteUserPolicy", "UserName", "alice", "PolicyName", "s3").expectOk();
        root.call("DeleteUser", "UserName", "alice").expectOk();
    }

    @Test
    void listUsersPagesThroughEveryUserWithMarkerAndIsTruncated() {
        for (String name : List.of("erin", "Bob", "alice", "dave", "carol")) {
            root.call("CreateUser", "UserName", name).expectOk();
        }

        List<String> seen = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        String marker = null;
        do {
            IamTestReply page = marker == null ? root.call("ListUsers", "MaxItems", "2")
                    : root.call("ListUsers", "MaxItems", "2", "Marker", marker);
            page.expectOk();
            assertThat(page.rootName()).isEqualTo("ListUsersResponse");
            assertThat(page.memberFields("Users")).allSatisfy(u -> assertThat(u.keySet())
                    .containsExactly("Path", "UserName", "UserId", "Arn", "CreateDate"));
            page.memberFields("Users").forEach(u -> seen.add(u.get("UserName")));
            truncated.add(Boolean.parseBoolean(page.text("IsTruncated")));
            marker = page.text("Marker");
            assertThat(marker == null).isEqualTo(!truncated.getLast());
        } while (marker != null);

        assertThat(seen).containsExactly("alice", "Bob", "carol", "dave", "erin");
        assertThat(truncated).containsExactly(true, true, false);
    }

    @Test
    void listUsersWithoutUsersAnswersAnEmptyListThatIsNotTruncated() {
        IamTestReply reply = root.call("ListUsers").expectOk();

        assertThat(reply.memberFields("Users")).isEmpty();
        assertThat(reply.text("IsTruncated")).isEqualTo("false");
        assertThat(reply.count("Marker")).isZero();
    }

    @Test
    void listUsersFiltersByPathPrefix() {
        root.call("CreateUser", "UserName", "alice", "Path", "/eng/backend/").expectOk();
        root.call("CreateUser", "UserName", "bob", "Path", "/eng/").expectOk();
        root.call("CreateUser", "UserName", "carol").expectOk();

        assertThat(root.call("ListUsers", "PathPrefix", "/eng/").expectOk().memberFields("Users"))
                .extracting(u -> u.get("UserName")).containsExactly("alice", "bob");
        assertThat(root.call("ListUsers", "PathPrefix", "/eng/backend").expectOk().memberFields("Users"))
                .extracting(u -> u.get("UserName")).containsExactly("alice");
        assertThat(root.call("ListUsers").expectOk().memberFields("Users")).hasSize(3);
    }
}

package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamAuthorizationTest {
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
    void aUserWithOnlyAnS3PolicyIsDeniedCreateUser() {
        IamTestClient alice = iam.user("alice", IamFixture.POLICY_ALLOW_S3);

        IamTestReply reply = alice.call("CreateUser", "UserName", "mallory").expectError("AccessDenied", 403);

        assertThat(reply.errorMessage()).startsWith("User: " + iam.userArn("/alice")
                + " is not authorized to perform: iam:CreateUser on resource: " + iam.userArn("/mallory"));
        assertThat(reply.text("Type")).isEqualTo("Sender");
        root.call("GetUser", "UserName", "mallory").expectError("NoSuchEntity", 404);
    }

    @Test
    void aUserAllowedListUsersMayListUsersAndNothingElse() {
        IamTestClient auditor = iam.user("auditor", IamFixture.POLICY_ALLOW_LIST_USERS);

        assertThat(auditor.call("ListUsers").expectOk().memberFields("Users")).extracting(u -> u.get("UserName"))
                .containsExactly("auditor");
        IamTestReply denied = auditor.call("GetUser", "UserName", "auditor").expectError("AccessDenied", 403);
        assertThat(denied.errorMessage()).contains("iam:GetUser on resource: " + iam.userArn("/auditor"));
        auditor.call("CreateUser", "UserName", "x").expectError("AccessDenied", 403);
        auditor.call("ListAccessKeys").expectError("AccessDenied", 403);
    }

    @Test
    void aUserWithoutPoliciesIsDeniedEvenItsOwnUser() {
        IamTestClient alice = iam.user("alice");

        alice.call("GetUser").expectError("AccessDenied", 403);
        alice.call("CreateAccessKey").expectError("AccessDenied", 403);
        alice.call("ListUsers").expectError("AccessDenied", 403);
    }

    @Test
    void aPolicyScopedToAPathAllowsUsersUnderItOnly() {
        IamTestClient lead = iam.user("lead", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                  "Action":["iam:CreateUser","iam:GetUser","iam:DeleteUser"],
                  "Resource":"arn:aws:iam::*:user/team/*"}]}""");

        lead.call("CreateUser", "UserName", "dev1", "Path", "/team/").expectOk();
        lead.call("GetUser", "UserName", "dev1").expectOk();
        lead.call("CreateUser", "UserName", "dev2").expectError("AccessDenied", 403);
        root.call("CreateUser", "UserName", "outsider").expectOk();
        lead.call("DeleteUser", "UserName", "outsider").expectError("AccessDenied", 403);
        lead.call("DeleteUser", "UserName", "dev1").expectOk();
    }

    @Test
    void anExplicitDenyWinsOverAnAllow() {
        IamTestClient admin = iam.user("admin", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"iam:*","Resource":"*"},
                  {"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}""");
        root.call("CreateUser", "UserName", "bob").expectOk();

        IamTestReply reply = admin.call("DeleteUser", "UserName", "bob").expectError("AccessDenied", 403);

        assertThat(reply.errorMessage()).contains("explicit deny");
        admin.call("GetUser", "UserName", "bob").expectOk();
    }

    @Test
    void aCaseVariantOfAUserNameDoesNotSlipPastADenyOnThatUser() {
        root.call("CreateUser", "UserName", "breakglass").expectOk();
        IamTestClient admin = iam.user("admin", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"iam:*","Resource":"*"},
                  {"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:user/breakglass"}]}""");

        admin.call("CreateAccessKey", "UserName", "BREAKGLASS").expectError("AccessDenied", 403);
        admin.call("PutUserPolicy", "UserName", "BreakGlass", "PolicyName", "p", "PolicyDocument", IamFixture.POLICY_ALLOW_S3)
                .expectError("AccessDenied", 403);
        assertThat(root.call("ListAccessKeys", "UserName", "breakglass").expectOk().memberFields("AccessKeyMetadata")).isEmpty();
    }

    @Test
    void aCallerWhoMayNotActOnAUserLearnsAccessDeniedNotWhetherItExists() {
        IamTestClient alice = iam.user("alice", IamFixture.POLICY_ALLOW_S3);

        alice.call("GetUser", "UserName", "no-such-user").expectError("AccessDenied", 403);
        alice.call("DeleteUser", "UserName", "no-such-user").expectError("AccessDenied", 403);
    }

    @Test
    void aSelfServicePolicyWithAUserNameVariableCoversOnlyTheCaller() {
        IamTestClient alice = iam.user("alice", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*AccessKey*",
                  "Resource":"arn:aws:iam::*:user/${aws:username}"}]}""");
        root.call("CreateUser", "UserName", "bob").expectOk();

        alice.call("CreateAccessKey", "UserName", "alice").expectOk();
        alice.call("CreateAccessKey", "UserName", "bob").expectError("AccessDenied", 403);
        alice.call("ListAccessKeys", "UserName", "bob").expectError("AccessDenied", 403);
    }

    @Test
    void conditionKeysFromTheRequestApply() {
        IamTestClient alice = iam.user("alice", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*",
                  "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""");

        // The test client arrives over plain HTTP.
        alice.call("ListUsers").expectError("AccessDenied", 403);
    }

    @Test
    void theRootIsAllowedEveryAction() {
        root.call("CreateUser", "UserName", "u").expectOk();
        root.call("ListUsers").expectOk();
        root.call("PutUserPolicy", "UserName", "u", "PolicyName", "p", "PolicyDocument", IamFixture.POLICY_ALLOW_S3).expectOk();
        root.call("ListUserPolicies", "UserName", "u").expectOk();
    }
}

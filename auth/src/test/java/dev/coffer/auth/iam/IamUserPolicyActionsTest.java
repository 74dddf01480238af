package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamUserPolicyActionsTest {
    private static final String POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [{"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject"],
                             "Resource": "arn:aws:s3:::reports/*"}]
            }""";

    @TempDir
    Path dir;

    private IamFixture iam;
    private IamTestClient root;

    @BeforeEach
    void open() {
        iam = new IamFixture(dir);
        root = iam.root();
        root.call("CreateUser", "UserName", "alice").expectOk();
    }

    @AfterEach
    void close() {
        iam.close();
    }

    @Test
    void putGetListAndDeleteAnInlinePolicy() {
        IamTestReply put = root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "reports", "PolicyDocument", POLICY)
                .expectOk();
        assertThat(put.rootName()).isEqualTo("PutUserPolicyResponse");
        assertThat(put.childNames("PutUserPolicyResponse")).containsExactly("ResponseMetadata");

        IamTestReply got = root.call("GetUserPolicy", "UserName", "ALICE", "PolicyName", "reports").expectOk();
        assertThat(got.childNames("GetUserPolicyResult")).containsExactly("UserName", "PolicyName", "PolicyDocument");
        assertThat(got.text("UserName")).isEqualTo("alice");
        assertThat(got.text("PolicyName")).isEqualTo("reports");

        IamTestReply listed = root.call("ListUserPolicies", "UserName", "alice").expectOk();
        assertThat(listed.rootName()).isEqualTo("ListUserPoliciesResponse");
        assertThat(listed.memberTexts("PolicyNames")).containsExactly("reports");
        assertThat(listed.text("IsTruncated")).isEqualTo("false");

        IamTestReply deleted = root.call("DeleteUserPolicy", "UserName", "alice", "PolicyName", "reports").expectOk();
        assertThat(deleted.rootName()).isEqualTo("DeleteUserPolicyResponse");
        root.call("GetUserPolicy", "UserName", "alice", "PolicyName", "reports").expectError("NoSuchEntity", 404);
        root.call("DeleteUserPolicy", "UserName", "alice", "PolicyName", "reports").expectError("NoSuchEntity", 404);
        assertThat(root.call("ListUserPolicies", "UserName", "alice").expectOk().memberTexts("PolicyNames")).isEmpty();
    }

    @Test
    void getUserPolicyReturnsTheDocumentUrlEncodedAsAwsDoes() {
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "reports", "PolicyDocument", POLICY).expectOk();

        String encoded = root.call("GetUserPolicy", "UserName", "alice", "PolicyName", "reports").expectOk()
                .text("PolicyDocument");

        assertThat(encoded).startsWith("%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22").doesNotContain("+", " ", "{");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(POLICY);
    }

    @Test
    void putUserPolicyReplacesADocumentOfTheSameName() {
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "p", "PolicyDocument", POLICY).expectOk();
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "p", "PolicyDocument", IamFixture.POLICY_ALLOW_S3)
                .expectOk();

        String encoded = root.call("GetUserPolicy", "UserName", "alice", "PolicyName", "p").expectOk().text("PolicyDocument");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(IamFixture.POLICY_ALLOW_S3);
        assertThat(root.call("ListUserPolicies", "UserName", "alice").expectOk().memberTexts("PolicyNames")).containsExactly("p");
    }

    @Test
    void aMalformedPolicyIsMalformedPolicyDocumentAndNotStored() {
        String badEffect = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}""";

        IamTestReply reply = root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "bad", "PolicyDocument", badEffect)
                .expectError("MalformedPolicyDocument", 400);
        assertThat(reply.errorMessage()).contains("Effect");
        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "bad", "PolicyDocument", "{not json")
                .expectError("MalformedPolicyDocument", 400);

        assertThat(root.call("ListUserPolicies", "UserName", "alice").expectOk().memberTexts("PolicyNames")).isEmpty();
    }

    @Test
    void anIdentityPolicyThatNamesAPrincipalIsMalformed() {
        String withPrincipal = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},
                  "Action":"s3:*","Resource":"*"}]}""";

        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "p", "PolicyDocument", withPrincipal)
                .expectError("MalformedPolicyDocument", 400);
    }

    @Test
    void aPolicyLargerThanTheStoreAllowsIsLimitExceeded() {
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(2100) + "/*\"}]}";

        root.call("PutUserPolicy", "UserName", "alice", "PolicyName", "big", "PolicyDocument", large)
                .expectError("LimitExceeded", 409);
    }

    @Test
    void policyActionsOnAMissingUserAreNoSuchEntity() {
        root.call("PutUserPolicy", "UserName", "nobody", "PolicyName", "p", "PolicyDocument", POLICY)
                .expectError("NoSuchEntity", 404);
        root.call("GetUserPolicy", "UserName", "nobody", "PolicyName", "p").expectError("NoSuchEntity", 404);
        root.call("ListUserPolicies", "UserName", "nobody").expectError("NoSuchEntity", 404);
    }

    @Test
    void listUserPoliciesPagesInNameOrder() {
        for (String name : new String[] {"c", "a", "b"}) {
            root.call("PutUserPolicy", "UserName", "alice", "PolicyName", name, "PolicyDocument", POLICY).expectOk();
        }

        IamTestReply first = root.call("ListUserPolicies", "UserName", "alice", "MaxItems", "2").expectOk();
        assertThat(first.memberTexts("PolicyNames")).containsExactly("a", "b");
        assertThat(first.text("IsTruncated")).isEqualTo("true");

        IamTestReply rest = root.call("ListUserPolicies", "UserName", "alice", "MaxItems", "2", "Marker", first.text("Marker"))
                .expectOk();
        assertThat(rest.memberTexts("PolicyNames")).containsExactly("c");
        assertThat(rest.text("IsTruncated")).isEqualTo("false");
    }
}

package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

class IamProtocolTest {
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
    void theServiceAnswersAsIamWithTheEdgeLimits() {
        assertThat(iam.service.signingName()).isEqualTo("iam");
        assertThat(iam.service.maxRequestBodyBytes()).isEqualTo(IamConfig.DEFAULT_MAX_REQUEST_BODY_BYTES);
        assertThat(iam.service.timeout()).isEqualTo(IamConfig.DEFAULT_REQUEST_TIMEOUT);
    }

    @Test
    void parametersInTheQueryStringOfAGetAreAccepted() {
        root.get("CreateUser", "UserName", "alice", "Path", "/a b+c/").expectError("ValidationError", 400);
        IamTestReply created = root.get("CreateUser", "UserName", "alice", "Path", "/a+c/").expectOk();

        assertThat(created.text("Path")).isEqualTo("/a+c/");
        assertThat(root.get("GetUser", "UserName", "alice").expectOk().text("Arn")).isEqualTo(iam.userArn("/a+c/alice"));
    }

    @Test
    void formEncodedSpacesPlusSignsAndPercentEscapesDecode() {
        String body = "Action=PutUserPolicy&Version=2010-05-08&UserName=alice&PolicyName=p&PolicyDocument="
                + "%7B%22Version%22%3A+%222012-10-17%22%2C+%22Statement%22%3A+%5B%7B%22Effect%22%3A+%22Allow%22%2C"
                + "+%22Action%22%3A+%22s3%3AGetObject%22%2C+%22Resource%22%3A+%22arn%3Aaws%3As3%3A%3A%3Aa%2Bb%2F*%22%7D%5D%7D";
        root.call("CreateUser", "UserName", "alice").expectOk();

        root.post(body).expectOk();

        String stored = iam.store.getUserPolicy("alice", "p");
        assertThat(stored).isEqualTo("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::a+b/*\"}]}");
    }

    @Test
    void specialCharactersInAUserPathAreEscapedInTheXml() {
        String path = "/R&D<team>\"quoted\"'single'/";

        IamTestReply created = root.call("CreateUser", "UserName", "o.brien+y=z,w@example-1_", "Path", path).expectOk();

        assertThat(created.body).contains("&amp;", "&lt;", "&gt;", "&quot;", "&apos;").doesNotContain("R&D<team>");
        assertThat(created.text("Path")).isEqualTo(path);
        assertThat(created.text("Arn")).isEqualTo(iam.userArn(path + "o.brien+y=z,w@example-1_"));
        assertThat(root.call("ListUsers", "PathPrefix", "/R&D<").expectOk().memberFields("Users"))
                .extracting(u -> u.get("Path")).containsExactly(path);
    }

    @Test
    void unicodeInARejectedValueReadsBackFromTheErrorMessage() {
        IamTestReply reply = root.call("CreateUser", "UserName", "Zoë-日本-\uD83D\uDE00").expectError("ValidationError", 400);

        assertThat(reply.errorMessage()).contains("Value 'Zoë-日本-\uD83D\uDE00' at 'userName'");
    }

    @Test
    void aControlCharacterInARejectedValueStillYieldsWellFormedXml() {
        IamTestReply reply = root.call("GetUser", "UserName", "bad\u0001name").expectError("ValidationError", 400);

        assertThat(reply.errorMessage()).contains("bad\uFFFDname");
    }

    @Test
    void anUnknownOrMissingActionOrAnotherVersionIsInvalidAction() {
        IamTestReply unknown = root.call("CreateRole", "RoleName", "r").expectError("InvalidAction", 400);
        assertThat(unknown.errorMessage()).isEqualTo("Could not find operation CreateRole for version 2010-05-08");
        root.call("createuser", "UserName", "alice").expectError("InvalidAction", 400);
        root.post("Version=2010-05-08&UserName=alice").expectError("InvalidAction", 400);
        root.post("Action=ListUsers&Version=2006-03-01").expectError("InvalidAction", 400);
        root.post("Action=ListUsers").expectOk();
    }

    @Test
    void aMissingRequiredParameterIsValidationErrorInAwsWords() {
        IamTestReply reply = root.call("CreateUser").expectError("ValidationError", 400);

        assertThat(reply.errorMessage()).isEqualTo(
                "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void everyViolatedConstraintIsReportedAtOnce() {
        IamTestReply reply = root.call("CreateUser", "UserName", "bad name", "Path", "no-slashes")
                .expectError("ValidationError", 400);

        assertThat(reply.errorMessage()).startsWith("2 validation errors detected: ")
                .contains("Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern")
                .contains("Value 'no-slashes' at 'path'");
    }

    @Test
    void lengthAndRangeLimitsFollowTheModel() {
        root.call("CreateUser", "UserName", "u".repeat(65)).expectError("ValidationError", 400);
        root.call("GetUser", "UserName", "u".repeat(128)).expectError("NoSuchEntity", 404);
        root.call("ListUsers", "MaxItems", "0").expectError("ValidationError", 400);
        root.call("ListUsers", "MaxItems", "1001").expectError("ValidationError", 400);
        assertThat(root.call("ListUsers", "MaxItems", "ten").expectError("ValidationError", 400).errorMessage())
                .contains("Member must be an integer");
        root.call("DeleteAccessKey", "UserName", "alice", "AccessKeyId", "SHORT").expectError("ValidationError", 400);
        root.call("ListUsers", "MaxItems", "1000").expectOk();
    }

    @Test
    void permissionsBoundariesAndTagsAreRefusedRatherThanIgnored() {
        root.call("CreateUser", "UserName", "alice", "PermissionsBoundary", "arn:aws:iam::aws:policy/ReadOnly")
                .expectError("InvalidInput", 400);
        root.call("CreateUser", "UserName", "alice", "Tags.member.1.Key", "team", "Tags.member.1.Value", "ops")
                .expectError("InvalidInput", 400);

        root.call("GetUser", "UserName", "alice").expectError("NoSuchEntity", 404);
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        root.post("Action=CreateUser&Version=2010-05-08&UserName=alice&UserName=bob").expectError("ValidationError", 400);
    }

    @Test
    void aBodyThatIsNotAFormIsRefused() {
        SdkHttpRequest json = IamTestClient.formRequest().toBuilder().putHeader("Content-Type", "application/json").build();

        root.send(json, "{\"Action\":\"ListUsers\"}", IamFixture.NOW, "us-east-1", "iam").expectError("ValidationError", 400);
    }

    @Test
    void aMethodOtherThanGetOrPostIsInvalidAction() {
        SdkHttpRequest put = IamTestClient.formRequest().toBuilder().method(SdkHttpMethod.PUT).build();

        root.send(put, IamTestClient.form("ListUsers"), IamFixture.NOW, "us-east-1", "iam").expectError("InvalidAction", 400);
    }

    @Test
    void tooLargeAndInternalErrorsAreRenderedAsIamErrors() {
        IamTestReply tooLarge = new IamTestReply("r-1", iam.service.requestTooLarge("r-1")).expectError("RequestEntityTooLarge", 413);
        assertThat(tooLarge.text("Type")).isEqualTo("Sender");

        IamTestReply internal = new IamTestReply("r-2", iam.service.internalError("r-2")).expectError("ServiceFailure", 500);
        assertThat(internal.text("Type")).isEqualTo("Receiver");
        assertThat(internal.errorMessage()).contains("r-2");
    }

    @Test
    void aStoreFailureIsServiceFailureWithoutItsCause() {
        root.call("ListUsers").expectOk();
        iam.store.close();

        IamTestReply reply = root.call("CreateUser", "UserName", "alice").expectError("ServiceFailure", 500);

        assertThat(reply.errorMessage()).isEqualTo("An internal error occurred. Request ID: " + reply.requestId);
        assertThat(new String(reply.response.body(), StandardCharsets.UTF_8)).doesNotContain("closed");
    }
}

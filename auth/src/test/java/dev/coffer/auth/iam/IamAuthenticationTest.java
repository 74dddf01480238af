package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpRequest;

class IamAuthenticationTest {
    private static final String LIST_USERS = IamTestClient.form("ListUsers");

    @TempDir
    Path dir;

    @Test
    void anUnsignedRequestIsMissingAuthenticationToken() {
        try (IamFixture iam = new IamFixture(dir)) {
            IamTestReply reply = iam.root().deliver(IamTestClient.formRequest(), LIST_USERS)
                    .expectError("MissingAuthenticationToken", 403);
            assertThat(reply.errorMessage()).isEqualTo("Request is missing Authentication Token");
        }
    }

    @Test
    void anUnknownAccessKeyIsInvalidClientTokenId() {
        try (IamFixture iam = new IamFixture(dir)) {
            new IamTestClient(iam.service, "AKIAUNKNOWNKEY000000", IamFixture.ROOT_SECRET).post(LIST_USERS)
                    .expectError("InvalidClientTokenId", 403);
        }
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatch() {
        try (IamFixture iam = new IamFixture(dir)) {
            IamTestReply reply = new IamTestClient(iam.service, IamFixture.ROOT_ACCESS_KEY, "not-the-secret").post(LIST_USERS)
                    .expectError("SignatureDoesNotMatch", 403);
            assertThat(reply.body).doesNotContain(IamFixture.ROOT_SECRET);
        }
    }

    @Test
    void aBodyChangedAfterSigningIsSignatureDoesNotMatchAndNothingHappens() {
        try (IamFixture iam = new IamFixture(dir)) {
            IamTestClient root = iam.root();
            SdkHttpRequest signed = root.sign(IamTestClient.formRequest(), IamTestClient.form("CreateUser", "UserName", "alice"),
                    IamFixture.NOW, "us-east-1", "iam");

            root.deliver(signed, IamTestClient.form("CreateUser", "UserName", "mallory")).expectError("SignatureDoesNotMatch", 403);

            root.call("GetUser", "UserName", "mallory").expectError("NoSuchEntity", 404);
        }
    }

    @Test
    void aRequestSignedOutsideTheClockSkewIsRequestExpired() {
        try (IamFixture iam = new IamFixture(dir)) {
            IamTestClient root = iam.root();

            root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW.minus(Duration.ofMinutes(20)), "us-east-1", "iam")
                    .expectError("RequestExpired", 400);
            root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW.plus(Duration.ofMinutes(20)), "us-east-1", "iam")
                    .expectError("RequestExpired", 400);
            root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW.minus(Duration.ofMinutes(10)), "us-east-1", "iam")
                    .expectOk();
        }
    }

    @Test
    void aMalformedAuthorizationHeaderIsIncompleteSignature() {
        try (IamFixture iam = new IamFixture(dir)) {
            SdkHttpRequest request = IamTestClient.formRequest().toBuilder()
                    .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + IamFixture.ROOT_ACCESS_KEY)
                    .putHeader("X-Amz-Date", "20261128T120000Z").build();

            iam.root().deliver(request, LIST_USERS).expectError("IncompleteSignature", 400);
        }
    }

    @Test
    void aSignatureScopedToAnotherServiceIsSignatureDoesNotMatch() {
        try (IamFixture iam = new IamFixture(dir)) {
            IamTestReply reply = iam.root().send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW, "us-east-1", "kms")
                    .expectError("SignatureDoesNotMatch", 403);
            assertThat(reply.errorMessage()).contains("'iam'");
        }
    }

    @Test
    void signaturesForTheGatewayRegionOrTheGlobalIamRegionAreAcceptedAndNoOther() {
        try (IamFixture iam = new IamFixture(dir, "eu-west-1")) {
            IamTestClient root = iam.root();

            root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW, "eu-west-1", "iam").expectOk();
            root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW, "us-east-1", "iam").expectOk();
            IamTestReply other = root.send(IamTestClient.formRequest(), LIST_USERS, IamFixture.NOW, "ap-south-1", "iam")
                    .expectError("SignatureDoesNotMatch", 403);
            assertThat(other.errorMessage()).contains("'ap-south-1'", "'eu-west-1'");
        }
    }

    @Test
    void authenticationComesBeforeTheActionIsLookedAt() {
        try (IamFixture iam = new IamFixture(dir)) {
            iam.root().deliver(IamTestClient.formRequest(), IamTestClient.form("NoSuchAction"))
                    .expectError("MissingAuthenticationToken", 403);
        }
    }
}

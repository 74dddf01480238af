package dev.coffer.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretBytes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The verifier against requests signed by the AWS SDK v2 signer (a second, independent opinion), and
 * every way a request's authentication can be wrong.
 */
class SigV4VerifierTest {
    private static final String ACCESS_KEY = "AKIACOFFERTEST000001";
    private static final String SECRET = "cofferTestSecretKey/0123456789abcdefghijk";
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String KMS_BODY = "{\"KeyId\":\"alias/test\"}";

    private final SigV4Verifier<String> verifier = verifierAt(NOW);

    @Test
    void acceptsKmsStyleRequestSignedByTheAwsSdk() throws Exception {
        SigV4Request request = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW, false, true);
        SigV4Verified<String> verified = verifier.verify(request, "kms", CanonicalRequest.PathStyle.NORMALIZED);
        assertThat(verified.principal()).isEqualTo("alice");
        assertThat(verified.scope()).isEqualTo(new CredentialScope("20261128", "us-east-1", "kms"));
        assertThat(verified.signingKey().size()).isEqualTo(32);
    }

    @Test
    void acceptsS3StyleUnsignedPayloadWithUnnormalizedKeySignedByTheAwsSdk() throws Exception {
        // Over HTTPS the SDK leaves the payload unsigned (over plain HTTP it always signs it).
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("https://127.0.0.1:9443/bucket/a//b/../c%20d/%E2%82%AC.txt")).build();
        SigV4Request request = sdkSigned(http, "hello", "s3", NOW, false, false);
        assertThat(request.header("x-amz-content-sha256")).isEqualTo(SigV4.UNSIGNED_PAYLOAD);
        assertThat(verifier.verify(request, "s3", CanonicalRequest.PathStyle.S3).principal()).isEqualTo("alice");
    }

    @Test
    void acceptsPresignedUrlFromTheAwsSdkUntilItExpires() throws Exception {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("https://127.0.0.1:9443/bucket/key?versionId=null")).build();
        SigV4Request request = sdkSigned(http, "", "s3", NOW, true, false);
        assertThat(verifier.verify(request, "s3", CanonicalRequest.PathStyle.S3).presigned()).isTrue();
        assertThat(verifierAt(NOW.plus(Duration.ofMinutes(4))).verify(request, "s3", CanonicalRequest.PathStyle.S3)).isNotNull();
        assertThatThrownBy(() -> verifierAt(NOW.plus(Duration.ofMinutes(6))).verify(request, "s3", CanonicalRequest.PathStyle.S3))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> assertThat(e.failure()).isEqualTo(SigV4Failure.EXPIRED));
    }

    @Test
    void bodyChangedAfterSigningDoesNotMatch() throws Exception {
        SigV4Request signed = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW, false, true);
        SigV4Request altered = new SigV4Request(signed.method(), signed.rawPath(), signed.rawQuery(), signed.headers(),
                CanonicalRequest.sha256Hex("{\"KeyId\":\"alias/other\"}"));
        assertFailure(altered, "kms", SigV4Failure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void requestSignedWithAnotherSecretDoesNotMatch() throws Exception {
        SigV4Request request = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW, false, true, SECRET + "x");
        assertFailure(request, "kms", SigV4Failure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void requestSixteenMinutesOldIsTooSkewed() throws Exception {
        SigV4Request request = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW.minus(Duration.ofMinutes(16)), false, true);
        assertFailure(request, "kms", SigV4Failure.REQUEST_TIME_TOO_SKEWED);
        SigV4Request fourteen = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW.plus(Duration.ofMinutes(14)), false, true);
        assertThat(verifier.verify(fourteen, "kms", CanonicalRequest.PathStyle.NORMALIZED)).isNotNull();
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() throws Exception {
        SigV4Request request = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW, false, true, SECRET, "AKIAUNKNOWN000000000", "us-east-1");
        assertFailure(request, "kms", SigV4Failure.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void credentialScopedToAnotherRegionOrServiceIsRefused() throws Exception {
        SigV4Request otherRegion = sdkSigned(kmsRequest(), KMS_BODY, "kms", NOW, false, true, SECRET, ACCESS_KEY, "eu-west-1");
        assertFailure(otherRegion, "kms", SigV4Failure.WRONG_REGION);
        SigV4Request s3Scoped = sdkSigned(kmsRequest(), KMS_BODY, "s3", NOW, false, true);
        assertFailure(s3Scoped, "kms", SigV4Failure.WRONG_SERVICE);
    }

    @Test
    void unsignedRequestIsMissingAuthentication() {
        SigV4Request request = new SigV4Request("GET", "/bucket", "", List.of(Map.entry("Host", "localhost")), SigV4.EMPTY_SHA256);
        assertThat(SigV4Verifier.isSigned(request)).isFalse();
        assertFailure(request, "s3", SigV4Failure.MISSING_AUTHENTICATION);
    }

    @Test
    void signatureVersion2IsUnsupported() {
        SigV4Request request = withHeaders("Authorization", "AWS " + ACCESS_KEY + ":c2lnbmF0dXJl", "Date", "Sat, 28 Nov 2026 12:00:00 GMT");
        assertFailure(request, "s3", SigV4Failure.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void authorizationWithoutSignatureIsMalformed() {
        SigV4Request request = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261128/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date",
                "X-Amz-Date", "20261128T120000Z");
        assertFailure(request, "s3", SigV4Failure.MALFORMED_AUTHORIZATION);
    }

    @Test
    void credentialWithoutTerminatorIsMalformed() {
        SigV4Request request = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261128/us-east-1/s3, SignedHeaders=host;x-amz-date, Signature=00",
                "X-Amz-Date", "20261128T120000Z");
        assertFailure(request, "s3", SigV4Failure.MALFORMED_AUTHORIZATION);
    }

    @Test
    void scopeDateOtherThanRequestDateIsRefused() {
        SigV4Request request = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261127/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
                "X-Amz-Date", "20261128T120000Z");
        assertFailure(request, "s3", SigV4Failure.WRONG_SCOPE_DATE);
    }

    @Test
    void unsignedHostIsRefused() {
        SigV4Request request = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261128/us-east-1/s3/aws4_request, SignedHeaders=x-amz-date, Signature=00",
                "X-Amz-Date", "20261128T120000Z");
        assertFailure(request, "s3", SigV4Failure.HOST_NOT_SIGNED);
    }

    @Test
    void missingOrGarbledDateIsRefused() {
        SigV4Request noDate = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00");
        assertFailure(noDate, "s3", SigV4Failure.MISSING_DATE);
        SigV4Request garbled = withHeaders("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
                "X-Amz-Date", "yesterday");
        assertFailure(garbled, "s3", SigV4Failure.MISSING_DATE);
    }

    @Test
    void presignedExpiryBeyondSevenDaysOrNotANumberIsRefused() {
        String base = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + ACCESS_KEY
                + "%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        assertFailure(new SigV4Request("GET", "/b/k", base + "&X-Amz-Expires=604801", List.of(Map.entry("Host", "h")),
                SigV4.UNSIGNED_PAYLOAD), "s3", SigV4Failure.INVALID_EXPIRES);
        assertFailure(new SigV4Request("GET", "/b/k", base + "&X-Amz-Expires=soon", List.of(Map.entry("Host", "h")),
                SigV4.UNSIGNED_PAYLOAD), "s3", SigV4Failure.INVALID_EXPIRES);
    }

    private void assertFailure(SigV4Request request, String service, SigV4Failure expected) {
        assertThatThrownBy(() -> verifier.verify(request, service,
                service.equals("s3") ? CanonicalRequest.PathStyle.S3 : CanonicalRequest.PathStyle.NORMALIZED))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> {
                    assertThat(e.failure()).isEqualTo(expected);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
    }

    private static SigV4Request withHeaders(String... nameValues) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", "127.0.0.1:9000"));
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return new SigV4Request("GET", "/bucket/key", "", headers, SigV4.UNSIGNED_PAYLOAD);
    }

    private static SigV4Verifier<String> verifierAt(Instant now) {
        CredentialLookup<String> lookup = id -> id.equals(ACCESS_KEY)
                ? Optional.of(new SigningCredential<>(id, SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), "alice"))
                : Optional.empty();
        return new SigV4Verifier<>(lookup, "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SdkHttpRequest kmsRequest() {
        return SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create("http://127.0.0.1:9000/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "TrentService.DescribeKey").build();
    }

    private static SigV4Request sdkSigned(SdkHttpRequest http, String body, String service, Instant at,
                                          boolean presign, boolean signPayload) {
        return sdkSigned(http, body, service, at, presign, signPayload, SECRET);
    }

    private static SigV4Request sdkSigned(SdkHttpRequest http, String body, String service, Instant at,
                                          boolean presign, boolean signPayload, String secret) {
        return sdkSigned(http, body, service, at, presign, signPayload, secret, ACCESS_KEY, "us-east-1");
    }

    /** Signs with the AWS SDK v2's own SigV4 signer and turns the result into what the server receives. */
    private static SigV4Request sdkSigned(SdkHttpRequest http, String body, String service, Instant at, boolean presign,
                                          boolean signPayload, String secret, String accessKey, String region) {
        boolean s3 = service.equals("s3");
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKey, secret))
                    .request(http)
                    .payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload);
            if (presign) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
            }
        });
        SdkHttpRequest out = signed.request();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean defaultPort = out.port() == (out.protocol().equals("https") ? 443 : 80);
        headers.add(Map.entry("Host", defaultPort ? out.host() : out.host() + ":" + out.port()));
        out.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        String payloadHash = out.firstMatchingHeader("x-amz-content-sha256")
                .orElse(presign && s3 ? SigV4.UNSIGNED_PAYLOAD : CanonicalRequest.sha256Hex(body));
        return new SigV4Request(out.method().name(), out.encodedPath(), out.encodedQueryParameters().orElse(""),
                headers, payloadHash);
    }
}

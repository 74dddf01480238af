package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The JSON 1.1 wire protocol's bad inputs, correctly signed, each answered with AWS's error type. */
class KmsProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    KmsFixture kms;

    @BeforeEach
    void start() throws Exception {
        kms = new KmsFixture(dir);
    }

    @AfterEach
    void stop() {
        kms.close();
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        assertError(send("ListKeys", "{not json"), 400, "SerializationException");
        assertError(send("ListKeys", "[1,2]"), 400, "SerializationException");
    }

    @Test
    void wrongMemberTypeIsSerializationExceptionAndOutOfRangeIsValidation() throws Exception {
        assertError(send("DescribeKey", "{\"KeyId\": 42}"), 400, "SerializationException");
        assertError(send("ListKeys", "{\"Limit\": 0}"), 400, "ValidationException");
        assertError(send("GenerateRandom", "{\"NumberOfBytes\": \"many\"}"), 400, "SerializationException");
        assertError(send("Encrypt", "{\"KeyId\":\"alias/x\",\"Plaintext\":\"%%%not-base64\"}"), 400, "SerializationException");
    }

    @Test
    void missingRequiredMemberIsValidationInAwsWords() throws Exception {
        JsonNode error = assertError(send("DescribeKey", "{}"), 400, "ValidationException");
        assertThat(error.get("message").asText()).isEqualTo(
                "1 validation error detected: Value 'null' at 'keyId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void unknownAndUnsupportedOperationsAreTold() throws Exception {
        assertError(send("MakeCoffee", "{}"), 400, "UnknownOperationException");
        assertError(send("GenerateMac", "{}"), 400, "UnsupportedOperationException");
    }

    @Test
    void unknownMembersAreIgnoredAndNeverReachTheAuditTrail() throws Exception {
        ServiceResponse response = send("ListKeys", "{\"Limit\": 5, \"SecretNote\": \"do-not-log\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(kms.auditor.named("ListKeys").getLast().requestParameters().toString())
                .contains("limit").doesNotContain("do-not-log").doesNotContain("SecretNote");
    }

    private static JsonNode assertError(ServiceResponse response, int status, String type) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).isEqualTo(status);
        assertThat(body.get("__type").asText()).isEqualTo(type);
        assertThat(response.headers()).contains(Map.entry("Content-Type", "application/x-amz-json-1.1"));
        return body;
    }

    /** Signs the raw body with the AWS SDK's signer as a client would, and hands it to the service. */
    private ServiceResponse send(String operation, String body) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create("http://127.0.0.1:9000/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", "TrentService." + operation)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KmsFixture.ROOT_ACCESS_KEY, KmsFixture.ROOT_SECRET))
                .request(http).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", "127.0.0.1:9000"));
        signed.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        return kms.service.handle(new ServiceRequest("req-1", "POST", "/", "", headers, body.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 1), false, Instant.now()));
    }
}

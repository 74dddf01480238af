package dev.coffer.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.audit.AuditRecord.EventType;
import dev.coffer.kms.audit.AuditRecord.TlsDetails;
import dev.coffer.kms.audit.AuditRecord.UserIdentity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final UUID EVENT_ID = UUID.fromString("a24b3967-ddad-417f-9b22-2332b918db06");

    /** Compacts a readable JSON text, keeping its field order. */
    private static String compact(String json) throws Exception {
        return JSON.readTree(json).toString();
    }

    private static AuditRecord.Builder generateDataKeyViaS3() {
        ObjectNode params = JSON.createObjectNode();
        params.put("keyId", KEY_ARN);
        params.put("keySpec", "AES_256");
        params.putObject("encryptionContext").put("aws:s3:arn", "arn:aws:s3:::bucket/key");
        return AuditRecord.builder()
                .userIdentity(UserIdentity.iamUser("AIDAALICE", "arn:aws:iam::111122223333:user/Alice", "111122223333",
                        "AKIAALICE", "Alice").invokedBy("s3.amazonaws.com"))
                .eventTime(Instant.parse("2025-05-20T20:46:16.789Z"))
                .eventName("GenerateDataKey")
                .awsRegion("us-east-1")
                .sourceIpAddress("192.0.2.0")
                .userAgent("aws-sdk-java/2.57.8")
                .requestParameters(params)
                .additionalEventData(Map.of("keyMaterialId", "a".repeat(64)))
                .requestId("3d8ad6a2-0d52-4b3e-9d5f-2e5c1e6a8f10")
                .eventId(EVENT_ID)
                .readOnly(true)
                .kmsKeyResource(KEY_ARN, "111122223333")
                .recipientAccountId("111122223333")
                .tlsDetails(new TlsDetails("TLSv1.3", "TLS_AES_256_GCM_SHA384", "kms.coffer.test"));
    }

    @Test
    void serializesWithCloudTrailFieldNamesInCloudTrailOrder() throws Exception {
        String expected = compact("""
                {"eventVersion":"1.11",
                 "userIdentity":{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/Alice",
                   "accountId":"111122223333","accessKeyId":"AKIAALICE","userName":"Alice","invokedBy":"s3.amazonaws.com"},
                 "eventTime":"2025-05-20T20:46:16Z","eventSource":"kms.amazonaws.com","eventName":"GenerateDataKey",
                 "awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","userAgent":"aws-sdk-java/2.57.8",
                 "requestParameters":{"keyId":"%s","keySpec":"AES_256","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::bucket/key"}},
                 "responseElements":null,
                 "additionalEventData":{"keyMaterialId":"%s"},
                 "requestID":"3d8ad6a2-0d52-4b3e-9d5f-2e5c1e6a8f10","eventID":"a24b3967-ddad-417f-9b22-2332b918db06",
                 "readOnly":true,
                 "resources":[{"ARN":"%s","accountId":"111122223333","type":"AWS::KMS::Key"}],
                 "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333",
                 "eventCategory":"Management",
                 "tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_256_GCM_SHA384","clientProvidedHostHeader":"kms.coffer.test"}}
                """.formatted(KEY_ARN, "a".repeat(64), KEY_ARN));

        assertThat(generateDataKeyViaS3().build().toJson()).isEqualTo(expected);
    }

    @Test
    void deniedCallCarriesErrorCodeAndMessageRightAfterTheUserAgent() throws Exception {
        AuditRecord denied = generateDataKeyViaS3()
                .error("AccessDeniedException", "User: arn:aws:iam::111122223333:user/Alice is not authorized to "
                        + "perform: kms:GenerateDataKey")
                .build();

        List<String> fields = fieldNames(JSON.readTree(denied.toJson()));
        assertThat(fields).containsSubsequence("userAgent", "errorCode", "errorMessage", "requestParameters");
        assertThat(fields.indexOf("errorCode")).isEqualTo(fields.indexOf("userAgent") + 1);
        assertThat(denied.errorCode()).contains("AccessDeniedException");
    }

    @Test
    void serviceEventHasTheShapeCloudTrailGivesAutomaticRotation() throws Exception {
        AuditRecord rotation = AuditRecord.serviceEventBuilder("111122223333")
                .eventTime(Instant.parse("2021-01-14T01:41:59Z"))
                .eventName("RotateKey")
                .awsRegion("us-west-2")
                .requestParameters((JsonNode) null)
                .eventId(EVENT_ID)
                .kmsKeyResource(KEY_ARN, "111122223333")
                .serviceEventDetails(new LinkedHashMap<>(Map.of("rotationType", "AUTOMATIC")))
                .build();

        assertThat(rotation.toJson()).isEqualTo(compact("""
                {"eventVersion":"1.11","userIdentity":{"accountId":"111122223333","invokedBy":"AWS Internal"},
                 "eventTime":"2021-01-14T01:41:59Z","eventSource":"kms.amazonaws.com","eventName":"RotateKey",
                 "awsRegion":"us-west-2","sourceIPAddress":"AWS Internal","userAgent":"AWS Internal",
                 "requestParameters":null,"responseElements":null,"eventID":"a24b3967-ddad-417f-9b22-2332b918db06",
                 "readOnly":false,"resources":[{"ARN":"%s","accountId":"111122223333","type":"AWS::KMS::Key"}],
                 "eventType":"AwsServiceEvent","managementEvent":true,"recipientAccountId":"111122223333",
                 "serviceEventDetails":{"rotationType":"AUTOMATIC"},"eventCategory":"Management"}
                """.formatted(KEY_ARN)));
        assertThat(rotation.eventType()).isEqualTo(EventType.AWS_SERVICE_EVENT);
        assertThat(rotation.requestId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Plaintext", "plaintext", "KeyMaterial", "EncryptedKeyMaterial", "ImportToken",
            "PrivateKeyPlaintext", "privateKey", "SecretAccessKey", "client_secret", "password", "Message",
            "sessionToken"})
    void refusesSecretLookingFieldsInResponseElements(String field) {
        AuditRecord.Builder builder = generateDataKeyViaS3().responseElements(Map.of(field, "AAAA"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("responseElements." + field)
                .hasMessageNotContaining("AAAA");
    }

    @Test
    void refusesASecretFieldNestedDeepInRequestParameters() {
        ObjectNode params = JSON.createObjectNode();
        params.putArray("items").addObject().putObject("wrapped").put("plaintext", "c2VjcmV0");

        assertThatThrownBy(() -> generateDataKeyViaS3().requestParameters(params).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestParameters.items[0].wrapped.plaintext");
    }

    @Test
    void refusesRawBytesAnywhere() {
        Map<String, Object> params = Map.of("keyId", KEY_ARN, "blob", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> generateDataKeyViaS3().requestParameters(params).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestParameters.blob")
                .hasMessageContaining("binary");
    }

    @Test
    void dropsCiphertextBlobsAsCloudTrailDoes() throws Exception {
        AuditRecord encrypt = generateDataKeyViaS3()
                .requestParameters(Map.of("keyId", KEY_ARN, "CiphertextBlob", "AQIDBA=="))
                .responseElements(Map.of("keyId", KEY_ARN, "ciphertextBlob", "AQIDBA==", "PrivateKeyCiphertextBlob", "AQ=="))
                .build();

        assertThat(encrypt.toJson()).doesNotContainIgnoringCase("ciphertext");
        assertThat(encrypt.responseElements().orElseThrow().get("keyId").asText()).isEqualTo(KEY_ARN);
    }

    @Test
    void keepsNonSecretFieldsThatMerelyResembleSecretOnes() {
        ObjectNode params = JSON.createObjectNode();
        params.put("keyId", KEY_ARN);
        // Encryption context keys are chosen by users and are, by definition, not secret.
        params.putObject("encryptionContext").put("secret-project", "apollo").put("password-policy", "v2");
        params.put("keyMaterialDescription", "imported 2025");

        AuditRecord r = generateDataKeyViaS3()
                .requestParameters(params)
                .responseElements(Map.of("keyId", KEY_ARN, "keyMaterialId", "b".repeat(64)))
                .build();

        assertThat(r.requestParameters().orElseThrow().get("encryptionContext").get("secret-project").asText())
                .isEqualTo("apollo");
    }

    @Test
    void roundTripsThroughItsJsonForm() {
        AuditRecord original = generateDataKeyViaS3().error("AccessDeniedException", "denied").sharedEventId("s-1").build();

        AuditRecord parsed = AuditRecord.fromJson(original.toJson());

        assertThat(parsed).isEqualTo(original);
        assertThat(parsed.toJson()).isEqualTo(original.toJson());
        assertThat(parsed.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
    }

    @Test
    void parsingFailsClosedOnAnUnknownEventVersion() {
        String json = generateDataKeyViaS3().build().toJson().replace("\"1.11\"", "\"1.12\"");

        assertThatThrownBy(() -> AuditRecord.fromJson(json))
                .isInstanceOf(AuditTrailException.class)
                .hasMessageContaining("unsupported eventVersion");
    }

    @Test
    void parsingRefusesUnknownAndDuplicateFields() {
        String json = generateDataKeyViaS3().build().toJson();

        assertThatThrownBy(() -> AuditRecord.fromJson(json.replace("{\"eventVersion\"", "{\"extra\":1,\"eventVersion\"")))
                .isInstanceOf(AuditTrailException.class)
                .hasMessageContaining("unknown field extra");
        assertThatThrownBy(() -> AuditRecord.fromJson(json.replace("\"eventName\":\"GenerateDataKey\"",
                        "\"eventName\":\"GenerateDataKey\",\"eventName\":\"Decrypt\"")))
                .isInstanceOf(AuditTrailException.class);
    }

    @Test
    void parsingRefusesAnEventTimeThatIsNotUtcSeconds() {
        String json = generateDataKeyViaS3().build().toJson().replace("20:46:16Z", "20:46:16.5Z");

        assertThatThrownBy(() -> AuditRecord.fromJson(json)).isInstanceOf(AuditTrailException.class);
    }

    @Test
    void isImmutableEvenThroughTheJsonNodesItWasGivenAndReturns() {
        ObjectNode params = JSON.createObjectNode().put("keyId", KEY_ARN);
        AuditRecord r = generateDataKeyViaS3().requestParameters(params).build();
        String before = r.toJson();

        params.put("keyId", "changed");
        ((ObjectNode) r.requestParameters().orElseThrow()).put("keyId", "changed too");

        assertThat(r.toJson()).isEqualTo(before);
    }

    @Test
    void truncatesEventTimeToTheSecond() {
        assertThat(generateDataKeyViaS3().build().eventTime()).isEqualTo(Instant.parse("2025-05-20T20:46:16Z"));
    }

    @Test
    void requiresWhatCloudTrailAlwaysRecords() {
        assertThatThrownBy(() -> generateDataKeyViaS3().requestId(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestID");
        assertThatThrownBy(() -> generateDataKeyViaS3().userIdentity(UserIdentity.internal("111122223333")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userIdentity.type");
        assertThatThrownBy(() -> AuditRecord.builder().userIdentity(TestRecords.user("bob"))
                        .eventTime(Instant.EPOCH).eventName("Decrypt").awsRegion("r").sourceIpAddress("ip")
                        .requestId("id").recipientAccountId("1").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("readOnly");
    }

    @Test
    void toStringNamesTheEventButNotItsParameters() {
        AuditRecord r = generateDataKeyViaS3().build();

        assertThat(r.toString()).contains("GenerateDataKey").doesNotContain("aws:s3:arn").doesNotContain("Alice");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package dev.coffer.gateway.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The KMS on the real edge port (Netty, SigV4, JSON 1.1) driven by the AWS SDK v2 KmsClient over
 * HTTP and by the {@code aws} CLI, with IAM users made through {@code aws iam}, and the audit trail
 * and restart behaviour checked on disk.
 */
class KmsEdgeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    RunningGateway coffer;
    AwsCli cli;

    @BeforeEach
    void start() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));
        cli = new AwsCli(coffer.endpoint, temp);
    }

    @AfterEach
    void stop() {
        if (coffer != null) {
            coffer.close();
        }
    }

    @Test
    void kmsClientOverHttpRunsTheEnvelopeFlowAndEveryCallIsAudited() throws Exception {
        try (KmsClient kms = coffer.rootKms()) {
            String keyId = kms.createKey(r -> r.description("edge")).keyMetadata().keyId();
            kms.createAlias(r -> r.aliasName("alias/edge").targetKeyId(keyId));
            var dataKey = kms.generateDataKey(r -> r.keyId("alias/edge").keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::b/k")));
            var decrypted = kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob())
                    .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::b/k")));
            assertThat(decrypted.plaintext()).isEqualTo(dataKey.plaintext());

            List<AuditRecord> records = AuditLookup.find(temp.resolve("data/audit/kms"),
                    AuditLookup.Query.all().withKeyId(keyId)).records();
            assertThat(records).extracting(AuditRecord::eventName)
                    .contains("CreateKey", "CreateAlias", "GenerateDataKey", "Decrypt");
            AuditRecord gdk = records.stream().filter(r -> r.eventName().equals("GenerateDataKey")).findFirst().orElseThrow();
            assertThat(gdk.toJson()).contains("\"eventSource\":\"kms.amazonaws.com\"", "\"arn:aws:s3:::b/k\"",
                    "\"accessKeyId\":\"" + RunningGateway.ROOT_ACCESS_KEY + "\"")
                    .doesNotContain(Base64.getEncoder().encodeToString(dataKey.plaintext().asByteArray()));
        }
    }

    @Test
    void awsCliManagesKeysAndEncryptsAndDecrypts() throws Exception {
        JsonNode created = ok(cli.run(RunningGateway.ROOT_ACCESS_KEY, RunningGateway.ROOT_SECRET,
                "kms", "create-key", "--description", "from the cli"));
        String keyId = created.at("/KeyMetadata/KeyId").asText();
        assertThat(created.at("/KeyMetadata/KeyState").asText()).isEqualTo("Enabled");
        Files.writeString(temp.resolve("plain.txt"), "hello from the aws cli");
        JsonNode encrypted = ok(cli.run(RunningGateway.ROOT_ACCESS_KEY, RunningGateway.ROOT_SECRET,
                "kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://plain.txt",
                "--encryption-context", "purpose=cli-test"));
        Files.write(temp.resolve("blob.bin"), Base64.getDecoder().decode(encrypted.get("CiphertextBlob").asText()));
        JsonNode decrypted = ok(cli.run(RunningGateway.ROOT_ACCESS_KEY, RunningGateway.ROOT_SECRET,
                "kms", "decrypt", "--ciphertext-blob", "fileb://blob.bin", "--encryption-context", "purpose=cli-test"));
        assertThat(new String(Base64.getDecoder().decode(decrypted.get("Plaintext").asText()))).isEqualTo("hello from the aws cli");
        AwsCli.Result wrongContext = cli.run(RunningGateway.ROOT_ACCESS_KEY, RunningGateway.ROOT_SECRET,
                "kms", "decrypt", "--ciphertext-blob", "fileb://blob.bin", "--encryption-context", "purpose=other");
        assertThat(wrongContext.exitCode()).isNotZero();
        assertThat(wrongContext.stderr()).contains("InvalidCiphertextException");
        assertThat(ok(cli.run(RunningGateway.ROOT_ACCESS_KEY, RunningGateway.ROOT_SECRET, "kms", "list-keys"))
                .get("Keys").toString()).contains(keyId);
    }

    @Test
    void userMadeWithAwsIamHasOnlyTheKmsRightsItsPolicyGives() throws Exception {
        String root = RunningGateway.ROOT_ACCESS_KEY;
        String secret = RunningGateway.ROOT_SECRET;
        ok(cli.run(root, secret, "iam", "create-user", "--user-name", "s3-admin"));
        ok(cli.run(root, secret, "iam", "put-user-policy", "--user-name", "s3-admin", "--policy-name", "s3-all",
                "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        JsonNode key = ok(cli.run(root, secret, "iam", "create-access-key", "--user-name", "s3-admin")).get("AccessKey");
        String userKey = key.get("AccessKeyId").asText();
        String userSecret = key.get("SecretAccessKey").asText();
        try (KmsClient rootKms = coffer.rootKms(); KmsClient userKms = coffer.kms(userKey, userSecret)) {
            String keyId = rootKms.createKey(r -> { }).keyMetadata().keyId();
            SdkBytes blob = rootKms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
            for (Runnable call : List.<Runnable>of(
                    () -> userKms.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)),
                    () -> userKms.decrypt(r -> r.ciphertextBlob(blob)))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("user/s3-admin");
                });
            }
        }
        AwsCli.Result denied = cli.run(userKey, userSecret, "kms", "decrypt", "--ciphertext-blob", "fileb://nothing");
        assertThat(denied.exitCode()).isNotZero();
    }

    @Test
    void importedMaterialWrappedWithOpensslWorks() throws Exception {
        String root = RunningGateway.ROOT_ACCESS_KEY;
        String secret = RunningGateway.ROOT_SECRET;
        String keyId = ok(cli.run(root, secret, "kms", "create-key", "--origin", "EXTERNAL")).at("/KeyMetadata/KeyId").asText();
        JsonNode params = ok(cli.run(root, secret, "kms", "get-parameters-for-import", "--key-id", keyId,
                "--wrapping-algorithm", "RSAES_OAEP_SHA_256", "--wrapping-key-spec", "RSA_2048"));
        Files.write(temp.resolve("public.der"), Base64.getDecoder().decode(params.get("PublicKey").asText()));
        Files.write(temp.resolve("token.bin"), Base64.getDecoder().decode(params.get("ImportToken").asText()));
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        Files.write(temp.resolve("material.bin"), material);
        Process openssl = new ProcessBuilder("openssl", "pkeyutl", "-encrypt", "-in", "material.bin", "-out", "wrapped.bin",
                "-inkey", "public.der", "-keyform", "DER", "-pubin", "-pkeyopt", "rsa_padding_mode:oaep",
                "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256")
                .directory(temp.toFile()).redirectErrorStream(true).start();
        assertThat(openssl.waitFor()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        ok(cli.run(root, secret, "kms", "import-key-material", "--key-id", keyId, "--import-token", "fileb://token.bin",
                "--encrypted-key-material", "fileb://wrapped.bin", "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE"));
        assertThat(ok(cli.run(root, secret, "kms", "describe-key", "--key-id", keyId)).at("/KeyMetadata/KeyState").asText())
                .isEqualTo("Enabled");
        try (KmsClient kms = coffer.rootKms()) {
            SdkBytes blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("byok"))).ciphertextBlob();
            assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("byok");
        }
    }

    @Test
    void keysAndCiphertextsSurviveARestart() throws Exception {
        String keyId;
        SdkBytes blob;
        try (KmsClient kms = coffer.rootKms()) {
            keyId = kms.createKey(r -> { }).keyMetadata().keyId();
            kms.enableKeyRotation(r -> r.keyId(keyId));
            blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("durable"))).ciphertextBlob();
        }
        coffer.close();
        coffer = new RunningGateway(temp.resolve("data"));
        try (KmsClient kms = coffer.rootKms()) {
            assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("durable");
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled()).isTrue();
        }
    }

    @Test
    void badRequestsGetKmsErrors() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(coffer.endpoint)
                    .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "TrentService.ListKeys")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(unsigned.body()).get("__type").asText()).isEqualTo("MissingAuthenticationTokenException");

            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(coffer.endpoint)
                    .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "TrentService.ListKeys")
                    .header("X-Amz-Date", java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                            .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()))
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + RunningGateway.ROOT_ACCESS_KEY + "/"
                            + java.time.LocalDate.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                            + "/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(forged.body()).get("__type").asText()).isEqualTo("InvalidSignatureException");

            HttpResponse<String> huge = http.send(HttpRequest.newBuilder(coffer.endpoint)
                    .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "TrentService.Encrypt")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(huge.body()).get("__type").asText()).isEqualTo("RequestEntityTooLargeException");
        }
        try (KmsClient kms = coffer.rootKms()) {
            assertThatThrownBy(() -> kms.sign(r -> r.keyId("alias/x").message(SdkBytes.fromUtf8String("m")).signingAlgorithm("RSASSA_PSS_SHA_256")))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedOperationException"));
        }
    }

    private static JsonNode ok(AwsCli.Result result) throws Exception {
        assertThat(result.exitCode()).as("aws exit code; stderr: %s", result.stderr()).isZero();
        return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
    }
}

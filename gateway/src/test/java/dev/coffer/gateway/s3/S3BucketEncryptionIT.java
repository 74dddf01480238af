package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.gateway.s3.HandSignedS3.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Put/Get/DeleteBucketEncryption on the real edge port: the AWS SDK v2 (which sends a CRC32
 * checksum), hand-signed requests for what the SDK will not send, an IAM user without the
 * permission, and both aws CLIs.
 */
class S3BucketEncryptionIT {
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client root;

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
        root = coffer.rootS3();
    }

    @AfterEach
    void stop() {
        if (root != null) {
            root.close();
        }
        if (coffer != null) {
            coffer.close();
        }
    }

    private ServerSideEncryptionRule rule(String bucket) {
        List<ServerSideEncryptionRule> rules = root.getBucketEncryption(b -> b.bucket(bucket))
                .serverSideEncryptionConfiguration().rules();
        assertThat(rules).hasSize(1);
        return rules.getFirst();
    }

    @Test
    void aNewBucketHasNoDefaultEncryptionAndEveryChangeReadsBack() {
        root.createBucket(b -> b.bucket("enc"));
        assertS3Error(() -> root.getBucketEncryption(b -> b.bucket("enc")), 404, "ServerSideEncryptionConfigurationNotFoundError");

        root.putBucketEncryption(b -> b.bucket("enc").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.SSE_C)))));
        assertThat(rule("enc").blockedEncryptionTypes().encryptionType()).containsExactly(EncryptionType.SSE_C);

        root.putBucketEncryption(b -> b.bucket("enc").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(KEY_ARN))
                .bucketKeyEnabled(true))));
        ServerSideEncryptionRule kms = rule("enc");
        assertThat(kms.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(kms.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(KEY_ARN);
        assertThat(kms.bucketKeyEnabled()).isTrue();
        // The PUT did not name BlockedEncryptionTypes: the block stays, as on AWS.
        assertThat(kms.blockedEncryptionTypes().encryptionType()).containsExactly(EncryptionType.SSE_C);

        root.putBucketEncryption(b -> b.bucket("enc").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE)))));
        ServerSideEncryptionRule sseS3 = rule("enc");
        assertThat(sseS3.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(sseS3.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isNull();
        assertThat(sseS3.bucketKeyEnabled()).isFalse();
        assertThat(sseS3.blockedEncryptionTypes().encryptionType()).containsExactly(EncryptionType.NONE);

        DeleteBucketEncryptionResponse deleted = root.deleteBucketEncryption(b -> b.bucket("enc"));
        assertThat(deleted.sdkHttpResponse().statusCode()).isEqualTo(204);
        assertS3Error(() -> root.getBucketEncryption(b -> b.bucket("enc")), 404, "ServerSideEncryptionConfigurationNotFoundError");
        // Again, with nothing left to delete: still 204.
        assertThat(root.deleteBucketEncryption(b -> b.bucket("enc")).sdkHttpResponse().statusCode()).isEqualTo(204);
    }

    @Test
    void documentsOutsideTheSchemaAreMalformedXmlAndChangeNothing() {
        root.createBucket(b -> b.bucket("strict"));
        assertS3Error(() -> root.putBucketEncryption(b -> b.bucket("strict").serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("SSE-KMS"))))), 400, "MalformedXML");
        assertS3Error(() -> root.putBucketEncryption(b -> b.bucket("strict").serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)),
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS))))), 400, "MalformedXML");
        assertS3Error(() -> root.putBucketEncryption(b -> b.bucket("strict").serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256).kmsMasterKeyID(KEY_ARN))))),
                400, "InvalidArgument");
        assertS3Error(() -> root.putBucketEncryption(b -> b.bucket("strict").serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS_DSSE))))),
                501, "NotImplemented");
        assertS3Error(() -> root.putBucketEncryption(b -> b.bucket("missing").serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))))), 404, "NoSuchBucket");

        HandSignedS3 signed = new HandSignedS3(coffer.endpoint, S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET);
        String broken = "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>";
        Answer answer = signed.request("PUT", "/strict?encryption").header("Content-MD5", md5Base64(broken)).body(broken).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("MalformedXML");

        assertS3Error(() -> root.getBucketEncryption(b -> b.bucket("strict")), 404, "ServerSideEncryptionConfigurationNotFoundError");
    }

    @Test
    void aPutWithoutContentMd5OrAChecksumIsRefusedAndWithContentMd5Accepted() {
        root.createBucket(b -> b.bucket("md5"));
        HandSignedS3 signed = new HandSignedS3(coffer.endpoint, S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET);
        String document = """
                <ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>
                <ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault>
                </Rule></ServerSideEncryptionConfiguration>""";

        Answer missing = signed.request("PUT", "/md5?encryption").body(document).send();
        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("InvalidRequest");
        assertThat(missing.element("Message")).isEqualTo("Missing required header for this request: Content-MD5");
        assertS3Error(() -> root.getBucketEncryption(b -> b.bucket("md5")), 404, "ServerSideEncryptionConfigurationNotFoundError");

        Answer wrong = signed.request("PUT", "/md5?encryption").header("Content-MD5", md5Base64("something else"))
                .body(document).send();
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(400);
        assertThat(wrong.errorCode()).isEqualTo("BadDigest");

        Answer ok = signed.request("PUT", "/md5?encryption").header("Content-MD5", md5Base64(document)).body(document).send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.body()).isEmpty();
        assertThat(rule("md5").applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(rule("md5").applyServerSideEncryptionByDefault().kmsMasterKeyID()).isNull();
    }

    @Test
    void aUserWithoutPutEncryptionConfigurationCanReadButNotChangeOrDeleteIt() {
        root.createBucket(b -> b.bucket("guarded"));
        S3Gateway.User reader = coffer.createUser("enc-reader", Map.of("read-encryption", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetEncryptionConfiguration","Resource":"arn:aws:s3:::guarded"}]}"""));
        try (S3Client s3 = coffer.s3(reader)) {
            assertS3Error(() -> s3.getBucketEncryption(b -> b.bucket("guarded")), 404, "ServerSideEncryptionConfigurationNotFoundError");
            assertS3Error(() -> s3.putBucketEncryption(b -> b.bucket("guarded").serverSideEncryptionConfiguration(c -> c.rules(
                    r -> r.blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE))))), 403, "AccessDenied");
            assertS3Error(() -> s3.deleteBucketEncryption(b -> b.bucket("guarded")), 403, "AccessDenied");
        }
        S3Gateway.User nobody = coffer.createUser("nobody", Map.of("nothing", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::guarded"}]}"""));
        try (S3Client s3 = coffer.s3(nobody)) {
            assertS3Error(() -> s3.getBucketEncryption(b -> b.bucket("guarded")), 403, "AccessDenied");
        }
        assertS3Error(() -> root.getBucketEncryption(b -> b.bucket("guarded")), 404, "ServerSideEncryptionConfigurationNotFoundError");
    }

    @Test
    void bothAwsClisRoundTripTheConfiguration() throws Exception {
        root.createBucket(b -> b.bucket("cli-enc"));
        // The new CLI (botocore 1.43) knows BlockedEncryptionTypes and sends a CRC32 checksum.
        cli(S3CliIT.NEW_CLI, "s3api", "put-bucket-encryption", "--bucket", "cli-enc", "--server-side-encryption-configuration",
                "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"" + KEY_ARN
                        + "\"},\"BucketKeyEnabled\":true,\"BlockedEncryptionTypes\":{\"EncryptionType\":[\"NONE\"]}}]}");
        String got = cli(S3CliIT.NEW_CLI, "s3api", "get-bucket-encryption", "--bucket", "cli-enc");
        assertThat(got).contains("\"SSEAlgorithm\": \"aws:kms\"", "\"KMSMasterKeyID\": \"" + KEY_ARN + "\"",
                "\"BucketKeyEnabled\": true", "\"NONE\"");

        // Debian's CLI v2.9 predates BlockedEncryptionTypes and sends Content-MD5.
        cli(S3CliIT.DEBIAN_CLI_V2, "s3api", "put-bucket-encryption", "--bucket", "cli-enc",
                "--server-side-encryption-configuration", "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}");
        String old = cli(S3CliIT.DEBIAN_CLI_V2, "s3api", "get-bucket-encryption", "--bucket", "cli-enc");
        assertThat(old).contains("\"SSEAlgorithm\": \"AES256\"").doesNotContain("KMSMasterKeyID");
        assertThat(rule("cli-enc").blockedEncryptionTypes().encryptionType()).containsExactly(EncryptionType.NONE);

        cli(S3CliIT.NEW_CLI, "s3api", "delete-bucket-encryption", "--bucket", "cli-enc");
        assertThatThrownBy(() -> cli(S3CliIT.NEW_CLI, "s3api", "get-bucket-encryption", "--bucket", "cli-enc"))
                .hasMessageContaining("ServerSideEncryptionConfigurationNotFoundError");
    }

    private static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }

    private static String md5Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an aws CLI as the root against the edge port, as S3CliIT does, and returns its stdout; it must succeed. */
    private String cli(String cli, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli, "--endpoint-url", coffer.endpoint.toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET);
        env.put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        Path out = temp.resolve("aws-stdout.txt");
        Path err = temp.resolve("aws-stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cli + " " + String.join(" ", args) + " did not finish in 120 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s %s\nstdout: %s\nstderr: %s", cli, String.join(" ", args), stdout,
                Files.readString(err, StandardCharsets.UTF_8)).isZero();
        return stdout;
    }
}

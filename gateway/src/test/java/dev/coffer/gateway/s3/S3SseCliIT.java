package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption through the {@code aws} CLIs over HTTPS (the development CA as
 * --ca-bundle): s3api put/head/get under SSE-S3, SSE-KMS and SSE-C (the CLI base64-encodes the key
 * and computes its MD5 itself), the high-level {@code aws s3 cp} with --sse aws:kms and --sse-c
 * for files large enough to go up in parts, and copy-object between modes.
 */
class S3SseCliIT {
    static final String NEW_CLI = S3CliIT.NEW_CLI;
    static final String DEBIAN_CLI_V2 = S3CliIT.DEBIAN_CLI_V2;
    /** 32 ASCII characters: the CLI takes the key as text and sends its base64 and MD5. */
    static final String CLI_KEY = "coffer-cli-sse-c-key-0123456789!";
    static final String OTHER_CLI_KEY = "another-sse-c-key-for-the-clis!!";

    @TempDir
    static Path temp;
    static S3Gateway gateway;
    static S3Client s3;
    static String keyArn;
    static final AtomicInteger RUNS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(temp.resolve("data"), true, "s3,kms");
        s3 = gateway.rootS3OverHttps();
        try (var kms = gateway.rootKms()) {
            keyArn = kms.createKey(r -> r.description("cli")).keyMetadata().arn();
        }
        s3.createBucket(b -> b.bucket("cli-sse"));
        // SSE-C allowed whatever the bucket's starting state (Debian's CLI 2.9 cannot say BlockedEncryptionTypes).
        s3.putBucketEncryption(r -> r.bucket("cli-sse").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE)))));
    }

    @AfterAll
    static void stop() {
        s3.close();
        gateway.close();
    }

    static String md5b64(byte[] b) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @ParameterizedTest
    @ValueSource(strings = {NEW_CLI, DEBIAN_CLI_V2})
    void s3apiPutHeadGetUnderEachMode(String cli) throws Exception {
        String prefix = cli.equals(NEW_CLI) ? "new/" : "debian/";
        byte[] data = random(200_000, prefix.length());
        Path body = temp.resolve(prefix.replace("/", "") + "-body.bin");
        Files.write(body, data);

        String sseS3 = ok(cli, "s3api", "put-object", "--bucket", "cli-sse", "--key", prefix + "s3", "--body", body.toString(),
                "--server-side-encryption", "AES256");
        assertThat(sseS3).contains("\"ServerSideEncryption\": \"AES256\"");
        assertThat(ok(cli, "s3api", "head-object", "--bucket", "cli-sse", "--key", prefix + "s3"))
                .contains("\"ServerSideEncryption\": \"AES256\"", "\"ContentLength\": " + data.length);
        assertGot(cli, prefix + "s3", data);

        String kms = ok(cli, "s3api", "put-object", "--bucket", "cli-sse", "--key", prefix + "kms", "--body", body.toString(),
                "--server-side-encryption", "aws:kms", "--ssekms-key-id", keyArn, "--bucket-key-enabled");
        assertThat(kms).contains("\"ServerSideEncryption\": \"aws:kms\"", "\"SSEKMSKeyId\": \"" + keyArn + "\"",
                "\"BucketKeyEnabled\": true");
        assertThat(ok(cli, "s3api", "head-object", "--bucket", "cli-sse", "--key", prefix + "kms"))
                .contains("\"ServerSideEncryption\": \"aws:kms\"", "\"SSEKMSKeyId\": \"" + keyArn + "\"", "\"BucketKeyEnabled\": true");
        assertGot(cli, prefix + "kms", data);

        String keyMd5 = md5b64(CLI_KEY.getBytes(StandardCharsets.US_ASCII));
        String sseC = ok(cli, "s3api", "put-object", "--bucket", "cli-sse", "--key", prefix + "c", "--body", body.toString(),
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CLI_KEY);
        assertThat(sseC).contains("\"SSECustomerAlgorithm\": \"AES256\"", "\"SSECustomerKeyMD5\": \"" + keyMd5 + "\"");
        assertThat(ok(cli, "s3api", "head-object", "--bucket", "cli-sse", "--key", prefix + "c",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CLI_KEY))
                .contains("\"SSECustomerAlgorithm\": \"AES256\"", "\"SSECustomerKeyMD5\": \"" + keyMd5 + "\"",
                        "\"ContentLength\": " + data.length);
        assertGot(cli, prefix + "c", data, "--sse-customer-algorithm", "AES256", "--sse-customer-key", CLI_KEY);
        if (!cli.equals(NEW_CLI)) {
            return;
        }
        // without the key, and with another one (once: these are the server's answers, not the CLI's)
        assertThat(fail(cli, "s3api", "get-object", "--bucket", "cli-sse", "--key", prefix + "c", temp.resolve("x").toString()))
                .contains("InvalidRequest");
        assertThat(fail(cli, "s3api", "get-object", "--bucket", "cli-sse", "--key", prefix + "c", "--sse-customer-algorithm", "AES256",
                "--sse-customer-key", OTHER_CLI_KEY, temp.resolve("x").toString())).contains("AccessDenied");
    }

    @Test
    void s3apiTakesABinarySseCKeyFromAFile() throws Exception {
        byte[] key = random(32, 99);
        Path keyFile = temp.resolve("binary.key");
        Files.write(keyFile, key);
        Path body = temp.resolve("small.txt");
        Files.writeString(body, "binary key");
        String put = ok(NEW_CLI, "s3api", "put-object", "--bucket", "cli-sse", "--key", "binary-key", "--body", body.toString(),
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", "fileb://" + keyFile);
        assertThat(put).contains("\"SSECustomerKeyMD5\": \"" + md5b64(key) + "\"");
        // The SDK reads it with the same 32 bytes.
        String b64 = Base64.getEncoder().encodeToString(key);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("cli-sse").key("binary-key").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64).sseCustomerKeyMD5(md5b64(key))).asUtf8String()).isEqualTo("binary key");
    }

    @ParameterizedTest
    @ValueSource(strings = {NEW_CLI, DEBIAN_CLI_V2})
    void highLevelCopyOfALargeFileInPartsUnderSseKmsAndSseC(String cli) throws Exception {
        String name = cli.equals(NEW_CLI) ? "new" : "debian";
        byte[] data = random(9 * 1024 * 1024 + 123, name.length());
        Path big = temp.resolve(name + "-big.bin");
        Files.write(big, data);

        ok(cli, "s3", "cp", big.toString(), "s3://cli-sse/" + name + "/big-kms.bin", "--sse", "aws:kms", "--sse-kms-key-id", keyArn);
        String head = ok(cli, "s3api", "head-object", "--bucket", "cli-sse", "--key", name + "/big-kms.bin");
        assertThat(head).contains("\"ServerSideEncryption\": \"aws:kms\"", "\"SSEKMSKeyId\": \"" + keyArn + "\"",
                "\"ContentLength\": " + data.length).containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-\\d+\\\\\"\"");
        Path back = temp.resolve(name + "-big-kms-back.bin");
        ok(cli, "s3", "cp", "s3://cli-sse/" + name + "/big-kms.bin", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(data);

        ok(cli, "s3", "cp", big.toString(), "s3://cli-sse/" + name + "/big-c.bin", "--sse-c", "AES256", "--sse-c-key", CLI_KEY);
        assertThat(ok(cli, "s3api", "head-object", "--bucket", "cli-sse", "--key", name + "/big-c.bin",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CLI_KEY))
                .containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-\\d+\\\\\"\"").contains("\"ContentLength\": " + data.length);
        Path backC = temp.resolve(name + "-big-c-back.bin");
        ok(cli, "s3", "cp", "s3://cli-sse/" + name + "/big-c.bin", backC.toString(), "--sse-c", "AES256", "--sse-c-key", CLI_KEY);
        assertThat(Files.readAllBytes(backC)).isEqualTo(data);
    }

    @Test
    void copyObjectBetweenModes() throws Exception {
        byte[] data = random(150_000, 5);
        Path body = temp.resolve("copy-src.bin");
        Files.write(body, data);
        ok(NEW_CLI, "s3api", "put-object", "--bucket", "cli-sse", "--key", "copy/c", "--body", body.toString(),
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CLI_KEY);

        // SSE-C -> SSE-KMS
        String toKms = ok(NEW_CLI, "s3api", "copy-object", "--bucket", "cli-sse", "--key", "copy/kms", "--copy-source", "cli-sse/copy/c",
                "--copy-source-sse-customer-algorithm", "AES256", "--copy-source-sse-customer-key", CLI_KEY,
                "--server-side-encryption", "aws:kms", "--ssekms-key-id", keyArn);
        assertThat(toKms).contains("\"ServerSideEncryption\": \"aws:kms\"", "\"SSEKMSKeyId\": \"" + keyArn + "\"");
        assertGot(NEW_CLI, "copy/kms", data);
        // SSE-KMS -> SSE-S3
        assertThat(ok(NEW_CLI, "s3api", "copy-object", "--bucket", "cli-sse", "--key", "copy/s3", "--copy-source", "cli-sse/copy/kms",
                "--server-side-encryption", "AES256")).contains("\"ServerSideEncryption\": \"AES256\"");
        assertGot(NEW_CLI, "copy/s3", data);
        // SSE-S3 -> SSE-C under another key
        String toC = ok(NEW_CLI, "s3api", "copy-object", "--bucket", "cli-sse", "--key", "copy/c2", "--copy-source", "cli-sse/copy/s3",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", OTHER_CLI_KEY);
        assertThat(toC).contains("\"SSECustomerKeyMD5\": \"" + md5b64(OTHER_CLI_KEY.getBytes(StandardCharsets.US_ASCII)) + "\"");
        assertGot(NEW_CLI, "copy/c2", data, "--sse-customer-algorithm", "AES256", "--sse-customer-key", OTHER_CLI_KEY);
        // An SSE-C source without its key cannot be copied.
        assertThat(fail(NEW_CLI, "s3api", "copy-object", "--bucket", "cli-sse", "--key", "copy/nope", "--copy-source",
                "cli-sse/copy/c2")).contains("InvalidRequest");
    }

    private void assertGot(String cli, String key, byte[] expected, String... extra) throws Exception {
        Path out = temp.resolve("got-" + RUNS.incrementAndGet() + ".bin");
        List<String> args = new ArrayList<>(List.of("s3api", "get-object", "--bucket", "cli-sse", "--key", key));
        args.addAll(List.of(extra));
        args.add(out.toString());
        ok(cli, args.toArray(String[]::new));
        assertThat(Files.readAllBytes(out)).as("%s get-object %s", cli, key).isEqualTo(expected);
    }

    private record Run(int exit, String stdout, String stderr) {}

    private String ok(String cli, String... args) throws IOException, InterruptedException {
        Run run = run(cli, args);
        assertThat(run.exit()).as("%s %s\nstdout: %s\nstderr: %s", cli, String.join(" ", args), run.stdout(), run.stderr()).isZero();
        return run.stdout();
    }

    /** Runs a command that must fail; returns its stderr. */
    private String fail(String cli, String... args) throws IOException, InterruptedException {
        Run run = run(cli, args);
        assertThat(run.exit()).as("%s %s should fail\nstdout: %s", cli, String.join(" ", args), run.stdout()).isNotZero();
        return run.stderr();
    }

    private Run run(String cli, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli, "--endpoint-url", gateway.httpsEndpoint.toString(),
                "--ca-bundle", gateway.dataDir.resolve("tls").resolve("ca.pem").toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        int n = RUNS.incrementAndGet();
        Path out = temp.resolve("aws-" + n + ".out");
        Path err = temp.resolve("aws-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET);
        env.put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cli + " " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

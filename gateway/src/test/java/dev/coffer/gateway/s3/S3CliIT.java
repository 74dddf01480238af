package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code aws} CLI against the edge port: both the new CLI on the PATH (v1.45, default integrity
 * checksums, aws-chunked trailers) and Debian's v2.9 at /usr/bin/aws (older behaviour).
 */
class S3CliIT {
    /** The CLI on the PATH, and Debian's AWS CLI v2. */
    static final String NEW_CLI = "aws";
    static final String DEBIAN_CLI_V2 = "/usr/bin/aws";

    @TempDir
    Path temp;
    S3Gateway coffer;

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
    }

    @AfterEach
    void stop() {
        if (coffer != null) {
            coffer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {NEW_CLI, DEBIAN_CLI_V2})
    void copyRecursiveCopySyncListAndRemove(String cli) throws Exception {
        ok(cli, "s3", "mb", "s3://cli-bucket");
        Path tree = temp.resolve("tree");
        Files.createDirectories(tree.resolve("a/b"));
        Files.write(tree.resolve("top.txt"), "top".getBytes(StandardCharsets.UTF_8));
        Files.write(tree.resolve("a/one.bin"), random(100_000));
        Files.write(tree.resolve("a/b/two with space.txt"), "two".getBytes(StandardCharsets.UTF_8));
        Files.write(tree.resolve("a/b/ünïcödé.txt"), "unicode".getBytes(StandardCharsets.UTF_8));
        ok(cli, "s3", "cp", "--recursive", tree.toString(), "s3://cli-bucket/tree/");
        String listing = ok(cli, "s3", "ls", "--recursive", "s3://cli-bucket/");
        assertThat(listing).contains("tree/top.txt", "tree/a/one.bin", "tree/a/b/two with space.txt", "tree/a/b/ünïcödé.txt");

        Path back = temp.resolve("back");
        ok(cli, "s3", "sync", "s3://cli-bucket/tree/", back.toString());
        assertThat(Files.readAllBytes(back.resolve("a/one.bin"))).isEqualTo(Files.readAllBytes(tree.resolve("a/one.bin")));
        assertThat(Files.readString(back.resolve("a/b/ünïcödé.txt"))).isEqualTo("unicode");

        Files.writeString(tree.resolve("new.txt"), "new");
        String synced = ok(cli, "s3", "sync", tree.toString(), "s3://cli-bucket/tree/");
        assertThat(synced).contains("new.txt").doesNotContain("one.bin");

        ok(cli, "s3", "rm", "--recursive", "s3://cli-bucket/tree/");
        assertThat(ok(cli, "s3", "ls", "--recursive", "s3://cli-bucket/")).isBlank();
        ok(cli, "s3", "rb", "s3://cli-bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {NEW_CLI, DEBIAN_CLI_V2})
    void largeFileGoesUpInPartsAndComesBackIntact(String cli) throws Exception {
        ok(cli, "s3", "mb", "s3://large");
        Path big = temp.resolve("big.bin");
        byte[] data = random(20 * 1024 * 1024 + 333);
        Files.write(big, data);
        ok(cli, "s3", "cp", big.toString(), "s3://large/big.bin");
        String head = ok(cli, "s3api", "head-object", "--bucket", "large", "--key", "big.bin");
        assertThat(head).contains("\"ContentLength\": " + data.length).containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-\\d+\\\\\"\"");
        Path back = temp.resolve("big-back.bin");
        ok(cli, "s3", "cp", "s3://large/big.bin", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }

    @Test
    void presignedUrlFromTheCliServesTheObject() throws Exception {
        ok(NEW_CLI, "s3", "mb", "s3://pre");
        Files.writeString(temp.resolve("p.txt"), "presigned by the cli");
        ok(NEW_CLI, "s3", "cp", temp.resolve("p.txt").toString(), "s3://pre/p.txt");
        // AWS CLI v1 presigns with SigV2 unless told otherwise: Coffer, like AWS's SigV4-only regions, refuses it clearly.
        String sigV2Url = ok(NEW_CLI, "s3", "presign", "s3://pre/p.txt", "--expires-in", "300").trim();
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sigV2Url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<Code>InvalidRequest</Code>", "Please use AWS4-HMAC-SHA256");
        for (String cli : List.of(DEBIAN_CLI_V2, NEW_CLI + "-s3v4")) {
            String url = cli.endsWith("-s3v4")
                    ? okWithConfig(NEW_CLI, "[default]\ns3 =\n    signature_version = s3v4\n", "s3", "presign", "s3://pre/p.txt",
                            "--expires-in", "300").trim()
                    : ok(cli, "s3", "presign", "s3://pre/p.txt", "--expires-in", "300").trim();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            assertThat(response.body()).isEqualTo("presigned by the cli");
        }
    }

    @Test
    void s3apiObjectsAndListingsWithDelimiters() throws Exception {
        ok(NEW_CLI, "s3api", "create-bucket", "--bucket", "api");
        Files.writeString(temp.resolve("v.txt"), "value");
        for (String key : List.of("logs/2026/a", "logs/2026/b", "logs/2027/c", "root")) {
            ok(NEW_CLI, "s3api", "put-object", "--bucket", "api", "--key", key, "--body", temp.resolve("v.txt").toString(),
                    "--metadata", "k=v");
        }
        String listed = ok(NEW_CLI, "s3api", "list-objects-v2", "--bucket", "api", "--prefix", "logs/", "--delimiter", "/");
        assertThat(listed).contains("\"Prefix\": \"logs/2026/\"", "\"Prefix\": \"logs/2027/\"").doesNotContain("root");
        String v1 = ok(NEW_CLI, "s3api", "list-objects", "--bucket", "api", "--max-items", "2");
        assertThat(v1).contains("logs/2026/a", "logs/2026/b").doesNotContain("\"Key\": \"root\"");
        String got = ok(NEW_CLI, "s3api", "get-object", "--bucket", "api", "--key", "root", temp.resolve("out.txt").toString());
        assertThat(got).contains("\"k\": \"v\"");
        assertThat(Files.readString(temp.resolve("out.txt"))).isEqualTo("value");
        String copied = ok(NEW_CLI, "s3api", "copy-object", "--bucket", "api", "--key", "copy", "--copy-source", "api/root");
        assertThat(copied).contains("CopyObjectResult");
        AwsCliFailure bad = fail(NEW_CLI, "s3api", "create-bucket", "--bucket", "Bad_Name");
        assertThat(bad.stderr()).contains("InvalidBucketName");
        String deleted = ok(NEW_CLI, "s3api", "delete-objects", "--bucket", "api", "--delete",
                "{\"Objects\":[{\"Key\":\"root\"},{\"Key\":\"copy\"}]}");
        assertThat(deleted).contains("\"Key\": \"root\"", "\"Key\": \"copy\"");
    }

    record AwsCliFailure(int exitCode, String stderr) {}

    private AwsCliFailure fail(String cli, String... args) throws IOException, InterruptedException {
        Process p = start(cli, args);
        String stderr = Files.readString(temp.resolve("aws-stderr.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s %s should fail", cli, String.join(" ", args)).isNotZero();
        return new AwsCliFailure(p.exitValue(), stderr);
    }

    private String okWithConfig(String cli, String config, String... args) throws IOException, InterruptedException {
        Files.writeString(temp.resolve("aws-config"), config);
        try {
            return ok(cli, args);
        } finally {
            Files.delete(temp.resolve("aws-config"));
        }
    }

    private String ok(String cli, String... args) throws IOException, InterruptedException {
        Process p = start(cli, args);
        String stdout = Files.readString(temp.resolve("aws-stdout.txt"), StandardCharsets.UTF_8);
        String stderr = Files.readString(temp.resolve("aws-stderr.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s %s\nstdout: %s\nstderr: %s", cli, String.join(" ", args), stdout, stderr).isZero();
        return stdout;
    }

    private Process start(String cli, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli, "--endpoint-url", coffer.endpoint.toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET);
        env.put("AWS_CONFIG_FILE", temp.resolve("aws-config").toString());
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
        return p;
    }

    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}

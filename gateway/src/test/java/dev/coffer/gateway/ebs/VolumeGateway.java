package dev.coffer.gateway.ebs;

import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A real gateway in this process serving volumes (ec2, nbd and the KMS) on free ports with known root
 * credentials, and the clients the volume tests drive it with: the {@code aws} CLI, the SDK's
 * {@link Ec2Client}, and any NBD client through {@link #nbdUri}. Restartable on the same data dir.
 */
final class VolumeGateway implements AutoCloseable {
    static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";

    final Path dataDir;
    private Gateway gateway;

    VolumeGateway(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        start();
    }

    private void start() throws Exception {
        Map<ServeSetting, String> commandLine = new EnumMap<>(Map.of(
                ServeSetting.DATA_DIR, dataDir.toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "-1",
                ServeSetting.NBD_PORT, "0",
                ServeSetting.SERVICES, "kms,ec2,nbd"));
        gateway = Gateway.start(new ServeConfigResolver(Map.of()).resolve(commandLine),
                Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
    }

    /** Stops the gateway and starts it again on the same data directory (new ports). */
    void restart() throws Exception {
        gateway.close();
        start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
    }

    /** host:port of the NBD server. */
    String nbdAddress() {
        return "127.0.0.1:" + gateway.nbdAddress().orElseThrow().getPort();
    }

    String nbdUri(String volumeId) {
        return "nbd://" + nbdAddress() + "/" + volumeId;
    }

    Ec2Client ec2() {
        return Ec2Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The result of a process: exit code and output. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Runs the real {@code aws} CLI as root against this gateway (text output). */
    Result aws(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint().toString(), "--region", "us-east-1",
                "--output", "text"));
        command.addAll(List.of(args));
        return run(workDir, environment(workDir), command, 60);
    }

    /** What a client of this gateway needs in its environment: the root credentials, no AWS config files. */
    Map<String, String> environment(Path workDir) {
        return Map.of("AWS_ACCESS_KEY_ID", ROOT_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", ROOT_SECRET,
                "AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-aws-credentials").toString(),
                "AWS_MAX_ATTEMPTS", "1");
    }

    /** Runs a command in {@code workDir} with {@code environment} added, and waits at most {@code seconds}. */
    static Result run(Path workDir, Map<String, String> environment, List<String> command, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(environment);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Whether {@code program} is on the PATH. */
    static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        gateway.close();
    }
}

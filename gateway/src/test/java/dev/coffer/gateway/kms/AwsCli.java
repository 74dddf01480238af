package dev.coffer.gateway.kms;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code aws} CLI against the gateway with the given credentials, output as JSON. */
final class AwsCli {
    record Result(int exitCode, String stdout, String stderr) {}

    private final URI endpoint;
    private final Path workDir;
    private final Map<String, String> environment;

    AwsCli(URI endpoint, Path workDir) {
        this(endpoint, workDir, Map.of());
    }

    private AwsCli(URI endpoint, Path workDir, Map<String, String> environment) {
        this.endpoint = endpoint;
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    /** The same CLI with {@code name=value} in its environment, e.g. AWS_CA_BUNDLE. */
    AwsCli withEnvironment(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(name, value);
        return new AwsCli(endpoint, workDir, more);
    }

    Result run(String accessKeyId, String secret, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-aws-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.putAll(environment);
        Path out = workDir.resolve("aws-stdout.txt");
        Path err = workDir.resolve("aws-stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}

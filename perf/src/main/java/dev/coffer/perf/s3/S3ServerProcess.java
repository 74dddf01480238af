package dev.coffer.perf.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One S3 server under test, running as its own process: Coffer through {@code ./coffer serve}, or
 * s3proxy's {@code Main} on this JVM's class path. Both get a JVM of their own so that neither shares
 * a heap, a JIT or a GC with the load generator, and so that each one's CPU time can be read apart
 * from {@code /proc}.
 */
final class S3ServerProcess implements AutoCloseable {
    private static final Pattern S3_LINE = Pattern.compile("^s3:\\s+(http://\\S+)");
    private static final Pattern HTTPS_LINE = Pattern.compile("^https:\\s+(https://\\S+)");
    /** The serve option that lets SSE-C keys arrive over plain HTTP (added to the gateway separately). */
    static final String SSE_C_OVER_HTTP_OPTION = "--s3-sse-c-over-http";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final URI endpoint;
    private final Deque<String> lastOutput;
    /** Coffer only: its HTTPS endpoint, data directory and whether it was told to take SSE-C over HTTP. */
    private final URI httpsEndpoint;
    private final Path dataDir;
    private final boolean sseCOverHttpOption;

    private S3ServerProcess(String name, Process process, URI endpoint, Deque<String> lastOutput) {
        this(name, process, endpoint, lastOutput, null, null, false);
    }

    private S3ServerProcess(String name, Process process, URI endpoint, Deque<String> lastOutput, URI httpsEndpoint,
                            Path dataDir, boolean sseCOverHttpOption) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.lastOutput = lastOutput;
        this.httpsEndpoint = httpsEndpoint;
        this.dataDir = dataDir;
        this.sseCOverHttpOption = sseCOverHttpOption;
    }

    /**
     * {@code coffer serve --services s3,kms} over plain HTTP on an ephemeral port (and HTTPS on another,
     * with the development CA, for SSE-C when plain HTTP refuses it), root credentials from
     * the environment, started as {@code ./coffer} starts it ({@code java -jar} on the packaged gateway
     * jar with {@code COFFER_JAVA_OPTS}) but without its rebuild-if-stale check: the caller has just
     * built, and a change under {@code perf/} alone would otherwise make every start rebuild.
     */
    static S3ServerProcess coffer(Path repo, Path dataDir, S3Credentials credentials) throws IOException, InterruptedException {
        return coffer("Coffer", "COFFER_JAVA_OPTS", repo, dataDir, credentials);
    }

    /**
     * A second Coffer with the JVM options in {@code COFFER_ALT_JAVA_OPTS}, to compare a tuning
     * experiment with the default in the same interleaved run.
     */
    static S3ServerProcess cofferAlternative(Path repo, Path dataDir, S3Credentials credentials)
            throws IOException, InterruptedException {
        return coffer("Coffer-alt", "COFFER_ALT_JAVA_OPTS", repo, dataDir, credentials);
    }

    private static S3ServerProcess coffer(String name, String optionsVariable, Path repo, Path dataDir,
                                          S3Credentials credentials) throws IOException, InterruptedException {
        Path jar = repo.resolve("gateway/target/coffer-gateway.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn package -pl perf,gateway -am");
        }
        boolean sseCOption = serveKnows(jar, SSE_C_OVER_HTTP_OPTION);
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(options(optionsVariable));
        command.addAll(List.of("-jar", jar.toString(), "serve", "--services", "s3,kms",
                "--https-port", "0", "--http-port", "0", "--admin-port", "0", "--data-dir", dataDir.toString()));
        if (sseCOption) {
            command.addAll(List.of(SSE_C_OVER_HTTP_OPTION, "true"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().put("COFFER_ROOT_ACCESS_KEY", credentials.accessKeyId());
        builder.environment().put("COFFER_ROOT_SECRET_KEY", credentials.secretAccessKey());
        // Harmless where the gateway does not know it yet; where it does, SSE-C runs over plain HTTP.
        builder.environment().put("COFFER_S3_SSE_C_OVER_HTTP", "true");
        Process process = builder.start();
        Deque<String> output = new ArrayDeque<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        URI endpoint = null;
        URI httpsEndpoint = null;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (String line; (line = lines.readLine()) != null; ) {
            remember(output, line);
            Matcher m = S3_LINE.matcher(line);
            if (m.find()) {
                endpoint = URI.create(m.group(1));
            }
            Matcher https = HTTPS_LINE.matcher(line);
            if (https.find()) {
                httpsEndpoint = URI.create(https.group(1));
            }
            if (line.startsWith("coffer: ready")) {
                if (endpoint == null) {
                    break;
                }
                drain(lines, output);
                return new S3ServerProcess(name, process, endpoint, output, httpsEndpoint, dataDir, sseCOption);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("coffer serve did not become ready with an s3 endpoint; it printed: " + output);
    }

    /** Whether {@code coffer serve --help} lists {@code option} (the gateway jar may predate it). */
    private static boolean serveKnows(Path jar, String option) throws IOException, InterruptedException {
        Process help = new ProcessBuilder(javaExecutable(), "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "serve", "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor(60, TimeUnit.SECONDS);
        return text.contains(option);
    }

    /**
     * s3proxy 2.x with the jclouds filesystem backend under {@code baseDir}, SigV2 or SigV4 with the
     * same credentials, on a free port. {@code S3PROXY_JAVA_OPTS} adds JVM options (JFR).
     */
    static S3ServerProcess s3proxy(Path baseDir, Path workDir, S3Credentials credentials)
            throws IOException, InterruptedException {
        return s3proxy("s3proxy", baseDir, workDir, credentials, false);
    }

    /**
     * s3proxy as {@link #s3proxy(Path, Path, S3Credentials)}, with its encryption middleware
     * ({@code s3proxy.encrypted-blobstore}: AES/CFB under one key derived from a password and salt with
     * PBKDF2) in front of the filesystem store.
     */
    static S3ServerProcess s3proxyEncrypted(Path baseDir, Path workDir, S3Credentials credentials)
            throws IOException, InterruptedException {
        return s3proxy("s3proxy-enc", baseDir, workDir, credentials, true);
    }

    private static S3ServerProcess s3proxy(String name, Path baseDir, Path workDir, S3Credentials credentials,
                                           boolean encrypted) throws IOException, InterruptedException {
        Files.createDirectories(baseDir);
        int port = freePort();
        Path properties = workDir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(properties)) {
            w.write("s3proxy.endpoint=http://127.0.0.1:" + port + "\n");
            w.write("s3proxy.authorization=aws-v2-or-v4\n");
            w.write("s3proxy.identity=" + credentials.accessKeyId() + "\n");
            w.write("s3proxy.credential=" + credentials.secretAccessKey() + "\n");
            w.write("jclouds.provider=filesystem\n");
            w.write("jclouds.identity=" + credentials.accessKeyId() + "\n");
            w.write("jclouds.credential=" + credentials.secretAccessKey() + "\n");
            w.write("jclouds.filesystem.basedir=" + baseDir + "\n");
            if (encrypted) {
                // Property names from s3proxy 2.6.0's S3ProxyConstants; bench-only values.
                w.write("s3proxy.encrypted-blobstore=true\n");
                w.write("s3proxy.encrypted-blobstore-password=bench-s3proxy-encryption-password\n");
                w.write("s3proxy.encrypted-blobstore-salt=bench-s3proxy-salt\n");
            }
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(options("S3PROXY_JAVA_OPTS"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.gaul.s3proxy.Main",
                "--properties", properties.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        Deque<String> output = new ArrayDeque<>();
        drain(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), output);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + "; it printed: " + snapshot(output));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new S3ServerProcess(name, process, URI.create("http://127.0.0.1:" + port), output, null, baseDir, false);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("s3proxy did not listen on port " + port + "; it printed: " + snapshot(output));
    }

    /** The JDK this benchmark runs on (the scripts pick JDK 25) runs both servers too. */
    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** JVM options from an environment variable, split at spaces (JFR settings need no quoting). */
    private static List<String> options(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Keeps reading so the child never blocks on a full pipe; keeps the last lines for error messages. */
    private static void drain(BufferedReader lines, Deque<String> output) {
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    remember(output, line);
                }
            } catch (IOException gone) {
                // The process went away.
            }
        });
    }

    private static void remember(Deque<String> output, String line) {
        synchronized (output) {
            output.addLast(line);
            while (output.size() > 50) {
                output.removeFirst();
            }
        }
    }

    private static List<String> snapshot(Deque<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    String name() {
        return name;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Coffer's HTTPS edge endpoint (development CA at {@code <data-dir>/tls/ca.pem}); null for s3proxy. */
    URI httpsEndpoint() {
        return httpsEndpoint;
    }

    /** Coffer's data directory, or s3proxy's filesystem store. */
    Path dataDir() {
        return dataDir;
    }

    /** Whether Coffer was started with {@link #SSE_C_OVER_HTTP_OPTION} (its jar knows the option). */
    boolean sseCOverHttpOption() {
        return sseCOverHttpOption;
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU time the server process has used so far, from /proc (10 ms resolution). */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " (pid " + process.pid() + ") is gone; it printed: " + snapshot(lastOutput), e);
        }
    }

    List<String> lastOutput() {
        return snapshot(lastOutput);
    }

    /** SIGTERM, so a JFR recording is written out; then the hard way if it does not stop. */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

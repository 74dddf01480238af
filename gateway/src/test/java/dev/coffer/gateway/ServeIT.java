package dev.coffer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer serve} as users run it: a separate JVM on the packaged jar, talked to over HTTP and
 * stopped with a signal. One gateway serves the read-only checks; tests that stop or fail a process
 * start their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ServeIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern ADMIN_LINE = Pattern.compile("admin: +(http://127\\.0\\.0\\.1:(\\d+))/health .*");

    /** Static: instance fields get their temporary directory only per test, after @BeforeAll. */
    @TempDir
    static Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private CofferProcess gateway;
    private String adminUrl;
    private int adminPort;

    @BeforeAll
    void startGateway() throws InterruptedException {
        gateway = CofferProcess.start(temp, Map.of(),
                "serve", "--admin-port", "0", "--http-port", "0", "--https-port", "0", "--nbd-port", "0",
                "--data-dir", temp.resolve("data").toString());
        Matcher admin = ADMIN_LINE.matcher(gateway.awaitStdoutLine(line -> ADMIN_LINE.matcher(line).matches(),
                START_TIMEOUT));
        assertThat(admin.matches()).isTrue();
        adminUrl = admin.group(1);
        adminPort = Integer.parseInt(admin.group(2));
        gateway.awaitStdoutLine(line -> line.startsWith("coffer: ready"), START_TIMEOUT);
    }

    @AfterAll
    void stopGateway() {
        http.close();
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void printsWhatItServesWhereWithTheBoundEphemeralPort() {
        assertThat(adminPort).isPositive();
        assertThat(gateway.stdout()).contains(
                "data:   " + temp.resolve("data"),
                "region: us-east-1");
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches("kms:    http://127\\.0\\.0\\.1:\\d+"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches("s3:     http://127\\.0\\.0\\.1:\\d+"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches("ec2:    http://127\\.0\\.0\\.1:\\d+"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches(
                "nbd:    nbd://127\\.0\\.0\\.1:\\d+/<volume-id> \\(volumes attached with ec2 attach-volume\\)"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).startsWith("root:   generated; credentials in "));
    }

    @Test
    void printsTheHttpsEndpointAndHowToTrustTheDevelopmentCa() {
        Path ca = temp.resolve("data").resolve("tls").resolve("ca.pem");

        assertThat(ca).isRegularFile();
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches(
                "https:  https://127\\.0\\.0\\.1:\\d+ \\(the services above, over TLS 1\\.3/1\\.2 through OpenSSL \\(BoringSSL\\)\\)"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).startsWith(
                "tls:    development CA " + ca + ", created now: clients trust it with AWS_CA_BUNDLE or --ca-bundle;"));
        assertThat(gateway.stdout()).anySatisfy(line -> assertThat(line).matches("        AWS_CA_BUNDLE="
                + Pattern.quote(ca.toString()) + " aws --endpoint-url https://127\\.0\\.0\\.1:\\d+ --region us-east-1 kms list-keys"));
    }

    /** What a user does: paste the printed example, with the printed root credentials, into a shell. */
    @Test
    void theHttpsExampleRunsAsPrinted() throws Exception {
        String example = gateway.stdout().stream().filter(line -> line.startsWith("        AWS_CA_BUNDLE="))
                .findFirst().orElseThrow().strip();
        ProcessBuilder shell = new ProcessBuilder("sh", "-c", example + " --output json").directory(temp.toFile())
                .redirectErrorStream(true);
        shell.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        shell.environment().put("AWS_ACCESS_KEY_ID", printed("AWS_ACCESS_KEY_ID="));
        shell.environment().put("AWS_SECRET_ACCESS_KEY", printed("AWS_SECRET_ACCESS_KEY="));
        shell.environment().put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
        shell.environment().put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
        Process aws = shell.start();
        String output = new String(aws.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(aws.waitFor()).as(output).isZero();
        assertThat(output).contains("\"Keys\"");
    }

    private String printed(String prefix) {
        return gateway.stdout().stream().map(String::strip).filter(line -> line.startsWith(prefix))
                .findFirst().orElseThrow().substring(prefix.length());
    }

    @Test
    void createsTheDataDirForItsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data"))))
                .isEqualTo("rwx------");
    }

    @Test
    void healthReportsEveryServiceUp() throws Exception {
        HttpResponse<String> health = send("GET", "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("content-type")).contains("application/json");
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"services\":{\"admin\":\"UP\","
                + "\"s3\":\"UP\",\"kms\":\"UP\",\"ec2\":\"UP\",\"nbd\":\"UP\"}}");
    }

    @Test
    void metricsArePrometheusTextWithJvmMeters() throws Exception {
        HttpResponse<String> metrics = send("GET", "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_gc_", "process_uptime_seconds");
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() throws Exception {
        HttpResponse<String> head = send("HEAD", "/health");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).contains(Integer.toString(
                send("GET", "/health").body().length()));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertThat(send("GET", "/admin").statusCode()).isEqualTo(404);
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> delete = send("DELETE", "/health");

        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).contains("GET, HEAD");
    }

    @Test
    void secondInstanceOnTheSameAdminPortFailsWithOneClearLineAndExitCodeOne() throws Exception {
        try (CofferProcess second = CofferProcess.start(temp, Map.of(), "serve",
                "--admin-port", Integer.toString(adminPort), "--http-port", "0", "--https-port", "0",
                "--data-dir", temp.resolve("data2").toString())) {
            assertThat(second.awaitExit(EXIT_TIMEOUT)).isEqualTo(1);
            assertThat(second.stderr()).containsExactly("coffer: cannot listen on 127.0.0.1:" + adminPort
                    + ": Address already in use (admin server, --admin-port / --bind)");
            assertThat(second.stdout()).noneMatch(line -> line.startsWith("coffer: ready"));
        }
        assertThat(send("GET", "/health").statusCode()).as("the first instance still serves").isEqualTo(200);
    }

    @Test
    void sigtermStopsCleanlyWithExitCodeZero() throws Exception {
        try (CofferProcess own = CofferProcess.start(temp, Map.of(),
                "serve", "--admin-port", "0", "--http-port", "0", "--https-port", "0", "--nbd-port", "0",
                "--data-dir", temp.resolve("data3").toString())) {
            own.awaitStdoutLine(line -> line.startsWith("coffer: ready"), START_TIMEOUT);

            own.terminate();

            assertThat(own.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(own.stdout()).last().isEqualTo("coffer: stopped");
            assertThat(own.stderr()).as("nothing on stderr: no warnings, no stack traces").isEmpty();
        }
    }

    @Test
    void invalidEnvironmentSettingExitsWithTwoBeforeListening() throws Exception {
        try (CofferProcess invalid = CofferProcess.start(temp, Map.of("COFFER_ADMIN_PORT", "70000"), "serve")) {
            assertThat(invalid.awaitExit(EXIT_TIMEOUT)).isEqualTo(2);
            assertThat(invalid.stderr()).containsExactly("coffer: --admin-port (coffer.gateway.admin-port /"
                    + " COFFER_ADMIN_PORT): must be 0..65535, got 70000 (from the environment)");
            assertThat(invalid.stdout()).isEmpty();
        }
    }

    @Test
    void versionPrintsTheBuiltVersionAndTheRuntime() throws Exception {
        try (CofferProcess version = CofferProcess.start(temp, Map.of(), "version")) {
            assertThat(version.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(version.stdout()).hasSize(3);
            assertThat(version.stdout().get(0)).matches("coffer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
            assertThat(version.stdout().get(1)).startsWith("java   " + Runtime.version())
                    .contains(System.getProperty("java.vendor"));
        }
    }
}

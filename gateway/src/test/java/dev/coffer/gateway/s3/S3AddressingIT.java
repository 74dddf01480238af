package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.http.conn.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Virtual-hosted-style requests ({@code <bucket>.localhost}, {@code <bucket>.s3.localhost}) next to
 * path-style ones, from the SDK (resolving {@code *.localhost} to loopback itself) and, where this
 * machine resolves {@code *.localhost}, the {@code aws} CLI. Both styles reach the same objects.
 */
class S3AddressingIT {
    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client pathStyle;
    /** Every host name the SDK's virtual-hosted clients looked up. */
    final Set<String> resolved = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
        pathStyle = coffer.rootS3();
    }

    @AfterEach
    void stop() {
        if (pathStyle != null) {
            pathStyle.close();
        }
        if (coffer != null) {
            coffer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "s3.localhost"})
    void virtualHostedClientCreatesPutsGetsListsAndDeletes(String domain) throws Exception {
        try (S3Client virtual = client(domain, false)) {
            virtual.createBucket(b -> b.bucket("vhost-bucket"));
            virtual.putObject(b -> b.bucket("vhost-bucket").key("dir/one.txt"), RequestBody.fromString("one"));
            virtual.putObject(b -> b.bucket("vhost-bucket").key("dir/two words+ünï.txt"), RequestBody.fromString("two"));

            assertThat(get(virtual, "vhost-bucket", "dir/one.txt")).isEqualTo("one");
            assertThat(get(virtual, "vhost-bucket", "dir/two words+ünï.txt")).isEqualTo("two");
            assertThat(virtual.headObject(b -> b.bucket("vhost-bucket").key("dir/one.txt")).contentLength()).isEqualTo(3);
            assertThat(virtual.listObjectsV2(b -> b.bucket("vhost-bucket").prefix("dir/")).contents()).extracting(S3Object::key)
                    .containsExactly("dir/one.txt", "dir/two words+ünï.txt");
            assertThat(virtual.listBuckets().buckets()).extracting(Bucket::name).containsExactly("vhost-bucket");
            virtual.deleteObject(b -> b.bucket("vhost-bucket").key("dir/one.txt"));
            assertThat(virtual.listObjectsV2(b -> b.bucket("vhost-bucket")).contents()).extracting(S3Object::key)
                    .containsExactly("dir/two words+ünï.txt");
        }
        assertThat(resolved).as("the bucket went in the host name").contains("vhost-bucket." + domain);
    }

    @Test
    void pathStyleAndVirtualHostedRequestsReachTheSameObjects() throws Exception {
        pathStyle.createBucket(b -> b.bucket("shared"));
        pathStyle.putObject(b -> b.bucket("shared").key("from/path style.txt"), RequestBody.fromString("path"));
        try (S3Client localhost = client("localhost", false); S3Client s3Localhost = client("s3.localhost", false)) {
            localhost.putObject(b -> b.bucket("shared").key("from/localhost.txt"), RequestBody.fromString("localhost"));
            s3Localhost.putObject(b -> b.bucket("shared").key("from/s3.localhost.txt"), RequestBody.fromString("s3.localhost"));

            for (S3Client reader : List.of(pathStyle, localhost, s3Localhost)) {
                assertThat(get(reader, "shared", "from/path style.txt")).isEqualTo("path");
                assertThat(get(reader, "shared", "from/localhost.txt")).isEqualTo("localhost");
                assertThat(get(reader, "shared", "from/s3.localhost.txt")).isEqualTo("s3.localhost");
                assertThat(reader.listObjectsV2(b -> b.bucket("shared")).contents()).extracting(S3Object::key)
                        .containsExactly("from/localhost.txt", "from/path style.txt", "from/s3.localhost.txt");
            }
        }
        assertThat(resolved).contains("shared.localhost", "shared.s3.localhost");
    }

    /** {@code s3.localhost} is itself an endpoint: a path-style request to it is not about a bucket "s3" under localhost. */
    @Test
    void pathStyleRequestsToAVirtualHostDomainAreNotTakenForABucket() throws Exception {
        try (S3Client atS3Localhost = client("s3.localhost", true)) {
            atS3Localhost.createBucket(b -> b.bucket("plain"));
            atS3Localhost.putObject(b -> b.bucket("plain").key("k.txt"), RequestBody.fromString("plain"));

            assertThat(get(atS3Localhost, "plain", "k.txt")).isEqualTo("plain");
            assertThat(atS3Localhost.listBuckets().buckets()).extracting(Bucket::name).containsExactly("plain");
        }
        assertThat(get(pathStyle, "plain", "k.txt")).isEqualTo("plain");
    }

    /**
     * The CLI resolves host names through the system, so it can address {@code <bucket>.localhost}
     * only where the resolver maps {@code *.localhost} to loopback (systemd-resolved, nss-myhostname).
     * Elsewhere this test is skipped; the SDK tests above cover virtual hosting on their own resolver.
     */
    @Test
    void awsCliWithVirtualAddressingReachesTheSameObjectsAsPathStyle() throws Exception {
        assumeThat(systemResolves("coffer-vhost-check.localhost"))
                .as("this machine does not resolve *.localhost (getent hosts coffer-vhost-check.localhost fails), "
                        + "so the aws CLI cannot reach <bucket>.localhost; the SDK tests cover virtual hosting")
                .isTrue();
        Path config = temp.resolve("aws-config-virtual");
        Files.writeString(config, "[default]\ns3 =\n  addressing_style = virtual\n");
        Files.writeString(temp.resolve("upload.txt"), "from the cli");

        cli(config, "s3", "mb", "s3://cli-vhost");
        cli(config, "s3", "cp", temp.resolve("upload.txt").toString(), "s3://cli-vhost/dir/upload.txt");
        assertThat(cli(config, "s3", "ls", "s3://cli-vhost/dir/")).contains("upload.txt");
        pathStyle.putObject(b -> b.bucket("cli-vhost").key("dir/from-sdk.txt"), RequestBody.fromString("from the sdk"));
        cli(config, "s3", "cp", "s3://cli-vhost/dir/from-sdk.txt", temp.resolve("download.txt").toString());

        assertThat(get(pathStyle, "cli-vhost", "dir/upload.txt")).isEqualTo("from the cli");
        assertThat(Files.readString(temp.resolve("download.txt"))).isEqualTo("from the sdk");
    }

    /** A client on {@code http://<domain>:<port>} whose resolver maps that domain and its subdomains to loopback. */
    private S3Client client(String domain, boolean forcePathStyle) throws UnknownHostException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        DnsResolver localhostNames = host -> {
            String name = host.toLowerCase(Locale.ROOT);
            if (!name.equals("localhost") && !name.endsWith(".localhost")) {
                throw new UnknownHostException(host);
            }
            resolved.add(name);
            return new InetAddress[] {InetAddress.getByAddress(name, loopback.getAddress())};
        };
        URI endpoint = URI.create("http://" + domain + ":" + coffer.endpoint.getPort());
        return coffer.s3(endpoint, ApacheHttpClient.builder().dnsResolver(localhostNames).build(), forcePathStyle,
                S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET);
    }

    private static String get(S3Client s3, String bucket, String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asUtf8String();
    }

    private static boolean systemResolves(String host) throws IOException, InterruptedException {
        Process getent = new ProcessBuilder("getent", "hosts", host).redirectErrorStream(true).start();
        getent.getInputStream().readAllBytes();
        return getent.waitFor(10, TimeUnit.SECONDS) && getent.exitValue() == 0;
    }

    private String cli(Path config, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", "http://localhost:" + coffer.endpoint.getPort(),
                "--region", "us-east-1"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET);
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        Path out = temp.resolve("aws-stdout.txt");
        Path err = temp.resolve("aws-stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish in 120 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("aws %s\nstdout: %s\nstderr: %s", String.join(" ", args), stdout,
                Files.readString(err, StandardCharsets.UTF_8)).isZero();
        return stdout;
    }
}

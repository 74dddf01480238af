package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.HsmConfig;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.TlsCertificateFiles;
import dev.coffer.gateway.runtime.RootCredentials;
import dev.coffer.gateway.tls.EdgeTls;
import dev.coffer.gateway.tls.ServerCertificate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupBannerTest {
    @TempDir
    Path temp;

    private static String banner(ServeConfig config, InetSocketAddress admin) {
        StringWriter out = new StringWriter();
        StartupBanner.print(new PrintWriter(out), config, admin, null, null);
        return out.toString();
    }

    private static ServeConfig config(InetAddress bind, EnumSet<CofferService> services) {
        return config(bind, services, Path.of("/srv/coffer"));
    }

    private static ServeConfig config(InetAddress bind, EnumSet<CofferService> services, Path dataDir) {
        return new ServeConfig(dataDir, bind, 9000, OptionalInt.of(9443), 10809, 0, "eu-west-1", services,
                new HsmConfig.Software(), Optional.empty(), 10_000, Optional.empty(), false, 128L << 20);
    }

    @Test
    void printsAdminEndpointsDataDirRegionAndEachRequestedServiceThenReady() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        String banner = banner(config(loopback, EnumSet.of(CofferService.S3, CofferService.NBD)),
                new InetSocketAddress(loopback, 41234));

        assertThat(banner.lines()).containsExactly(
                "coffer " + CofferVersion.cofferVersion(),
                "admin:  http://127.0.0.1:41234/health http://127.0.0.1:41234/metrics",
                "data:   /srv/coffer",
                "region: eu-west-1",
                "s3:     not running",
                "nbd:    not running",
                "coffer: ready; Ctrl-C or SIGTERM stops it");
    }

    private static StartupBanner.Edge edge(InetSocketAddress http, StartupBanner.Https https) {
        return new StartupBanner.Edge(http, "software HSM", false,
                new RootCredentials.Outcome(null, null, null, "existing"), https);
    }

    private static String banner(ServeConfig config, StartupBanner.Edge edge) {
        StringWriter out = new StringWriter();
        StartupBanner.print(new PrintWriter(out), config, new InetSocketAddress(config.bindAddress(), 9090), edge,
                new InetSocketAddress(config.bindAddress(), 10809));
        return out.toString();
    }

    @Test
    void printsTheHttpsEndpointTheDevelopmentCaAndAnExampleThatTrustsIt() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServeConfig config = config(loopback, EnumSet.of(CofferService.KMS), temp);
        ServerCertificate certificate = EdgeTls.prepare(config).certificate();
        Path ca = temp.resolve("tls").resolve("ca.pem");

        String banner = banner(config, edge(new InetSocketAddress(loopback, 9000),
                new StartupBanner.Https(new InetSocketAddress(loopback, 9443), "OpenSSL (BoringSSL)", certificate)));

        assertThat(banner.lines()).containsSubsequence(
                "kms:    http://127.0.0.1:9000",
                "https:  https://127.0.0.1:9443 (the services above, over TLS 1.3/1.2 through OpenSSL (BoringSSL))",
                "tls:    development CA " + ca + ", created now: clients trust it with AWS_CA_BUNDLE or --ca-bundle;"
                        + " for development only (production: --tls-cert-file and --tls-key-file)",
                "try:    aws --endpoint-url http://127.0.0.1:9000 --region eu-west-1 kms list-keys"
                        + "   (with the root credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)",
                "        AWS_CA_BUNDLE=" + ca + " aws --endpoint-url https://127.0.0.1:9443 --region eu-west-1 kms list-keys");
    }

    @Test
    void aReusedCaIsNotCalledNewAndAWildcardBindGetsALoopbackExample() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        ServeConfig config = config(any, EnumSet.of(CofferService.KMS), temp);
        EdgeTls.prepare(config);
        ServerCertificate reused = EdgeTls.prepare(config).certificate();
        Path ca = temp.resolve("tls").resolve("ca.pem");

        String banner = banner(config, edge(new InetSocketAddress(any, 9000),
                new StartupBanner.Https(new InetSocketAddress(any, 9443), "JDK", reused)));

        assertThat(banner).contains("tls:    development CA " + ca + "; for development only",
                "AWS_CA_BUNDLE=" + ca + " aws --endpoint-url https://127.0.0.1:9443 ");
    }

    @Test
    void anOperatorCertificateIsShownWithItsSubjectAndEndAndNoCaExample() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        EdgeTls.prepare(config(loopback, EnumSet.of(CofferService.KMS), temp));
        Path chain = temp.resolve("tls").resolve("server.pem");
        ServeConfig operator = new ServeConfig(temp, loopback, 9000, OptionalInt.of(9443), 10809, 0, "eu-west-1",
                EnumSet.of(CofferService.KMS), new HsmConfig.Software(), Optional.empty(), 10_000,
                Optional.of(new TlsCertificateFiles(chain, temp.resolve("tls").resolve("server-key.pem"))), false, 128L << 20);
        ServerCertificate certificate = EdgeTls.prepare(operator).certificate();

        String banner = banner(operator, edge(new InetSocketAddress(loopback, 9000),
                new StartupBanner.Https(new InetSocketAddress(loopback, 9443), "JDK", certificate)));

        assertThat(banner).contains("tls:    " + chain + " (CN=Coffer gateway,O=Coffer development CA, valid until "
                + certificate.notAfter() + ")");
        assertThat(banner).doesNotContain("AWS_CA_BUNDLE");
    }

    @Test
    void bracketsIpv6AddressesInUrls() throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");

        String banner = banner(config(loopback, EnumSet.of(CofferService.KMS)), new InetSocketAddress(loopback, 9090));

        assertThat(banner).contains("admin:  http://[0:0:0:0:0:0:0:1]:9090/health");
    }
}

package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.runtime.Gateway;
import dev.coffer.gateway.runtime.KeyServices;
import dev.coffer.gateway.runtime.RootCredentials;
import dev.coffer.gateway.tls.EdgeTls;
import dev.coffer.gateway.tls.ServerCertificate;
import dev.coffer.gateway.transport.HostPort;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What {@code coffer serve} tells its user at start, on stdout: what is served where. Scripts and
 * tests read it, so each line is {@code name: value} and the last is {@code coffer: ready...}.
 */
final class StartupBanner {
    static final String READY = "coffer: ready";

    private StartupBanner() {}

    static void print(PrintWriter out, ServeConfig config, Gateway gateway) {
        Https https = gateway.httpsEdgeAddress().map(address -> {
            EdgeTls tls = gateway.edgeTls().orElseThrow();
            return new Https(address, tls.providerName(), tls.certificate());
        }).orElse(null);
        Edge edge = gateway.edgeAddress().map(address -> {
            KeyServices keys = gateway.keyServices().orElseThrow();
            return new Edge(address, keys.hsmDescription(), keys.developmentHsm(), keys.root(), https);
        }).orElse(null);
        print(out, config, gateway.adminAddress(), edge, gateway.nbdAddress().orElse(null));
    }

    /**
     * What the edge port serves and with which keys, when an edge service runs.
     *
     * @param https the edge over TLS; null when HTTPS is off
     */
    record Edge(InetSocketAddress address, String hsmDescription, boolean developmentHsm, RootCredentials.Outcome root,
                Https https) {}

    /** The HTTPS edge port, what does its TLS and which certificate it presents. */
    record Https(InetSocketAddress address, String provider, ServerCertificate certificate) {}

    /** @param nbd where the NBD server listens, or null when it does not run */
    static void print(PrintWriter out, ServeConfig config, InetSocketAddress adminAddress, Edge edge, InetSocketAddress nbd) {
        String admin = HostPort.httpUrl(adminAddress);
        out.println("coffer " + CofferVersion.cofferVersion());
        out.println("admin:  " + admin + "/health " + admin + "/metrics");
        out.println("data:   " + config.dataDir());
        out.println("region: " + config.region());
        String endpoint = edge == null ? null : HostPort.httpUrl(edge.address());
        if (edge != null) {
            out.println("hsm:    " + edge.hsmDescription());
            if (edge.developmentHsm()) {
                for (String line : SoftwareHsm.startupWarning().split("\n")) {
                    out.println("        " + line);
                }
            }
            out.println("iam:    " + endpoint);
        }
        for (CofferService service : config.services()) {
            String where;
            if (service == CofferService.NBD) {
                where = nbd == null ? "not running" : "nbd://" + HostPort.of(nbd) + "/<volume-id> (volumes attached with ec2 attach-volume)";
            } else {
                where = edge == null ? "not running" : endpoint;
            }
            out.println(pad(service.id() + ":") + where);
        }
        if (edge != null && edge.https() != null) {
            printHttps(out, edge.https());
        }
        if (edge != null) {
            printRoot(out, edge.root());
            String command = " --region " + config.region()
                    + (config.services().contains(CofferService.KMS) ? " kms list-keys" : " iam list-users");
            out.println("try:    aws --endpoint-url " + endpoint + command
                    + "   (with the root credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)");
            if (edge.https() != null && edge.https().certificate().developmentCaFile().isPresent()) {
                out.println("        AWS_CA_BUNDLE=" + edge.https().certificate().developmentCaFile().get()
                        + " aws --endpoint-url " + httpsUrl(reachable(edge.https().address())) + command);
            }
        }
        out.println(READY + "; Ctrl-C or SIGTERM stops it");
        out.flush();
    }

    private static void printHttps(PrintWriter out, Https https) {
        out.println("https:  " + httpsUrl(https.address()) + " (the services above, over TLS 1.3/1.2 through "
                + https.provider() + ")");
        ServerCertificate certificate = https.certificate();
        certificate.developmentCaFile().ifPresentOrElse(
                ca -> out.println("tls:    development CA " + ca + (certificate.developmentCaCreated()
                        ? ", created now: clients trust it with AWS_CA_BUNDLE or --ca-bundle" : "")
                        + "; for development only (production: --tls-cert-file and --tls-key-file)"),
                () -> out.println("tls:    " + certificate.chainFile() + " ("
                        + certificate.leaf().getSubjectX500Principal().getName() + ", "
                        + (certificate.notAfter().isBefore(Instant.now()) ? "EXPIRED " : "valid until ")
                        + certificate.notAfter() + ")"));
    }

    private static String httpsUrl(InetSocketAddress address) {
        return "https://" + HostPort.of(address);
    }

    /**
     * Where a client on this machine connects: a wildcard bind address is no address to connect to, and
     * no certificate names it, so the example uses loopback of the same family instead.
     */
    private static InetSocketAddress reachable(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address == null || !address.isAnyLocalAddress()) {
            return bound;
        }
        InetAddress loopback = address instanceof Inet6Address
                ? InetAddress.ofLiteral("::1") : InetAddress.ofLiteral("127.0.0.1");
        return new InetSocketAddress(loopback, bound.getPort());
    }

    private static void printRoot(PrintWriter out, RootCredentials.Outcome root) {
        switch (root.source()) {
            case "environment" -> out.println("root:   " + root.accessKeyId() + " from COFFER_ROOT_ACCESS_KEY / COFFER_ROOT_SECRET_KEY");
            case "generated" -> {
                out.println("root:   generated; credentials in " + root.file() + " (mode 0600); shown this once:");
                out.println("        AWS_ACCESS_KEY_ID=" + root.accessKeyId());
                out.println("        AWS_SECRET_ACCESS_KEY=" + root.secretShownOnce());
            }
            default -> out.println("root:   as generated on first start" + (root.file() == null ? "" : "; credentials in " + root.file()));
        }
    }

    private static String pad(String label) {
        return String.format("%-8s", label);
    }
}

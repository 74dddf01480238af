package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.runtime.Gateway;
import dev.coffer.gateway.runtime.KeyServices;
import dev.coffer.gateway.runtime.RootCredentials;
import dev.coffer.gateway.transport.HostPort;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.io.PrintWriter;
import java.net.InetSocketAddress;

/**
 * What {@code coffer serve} tells its user at start, on stdout: what is served where. Scripts and
 * tests read it, so each line is {@code name: value} and the last is {@code coffer: ready...}.
 */
final class StartupBanner {
    static final String READY = "coffer: ready";

    private StartupBanner() {}

    static void print(PrintWriter out, ServeConfig config, Gateway gateway) {
        Edge edge = gateway.edgeAddress().map(address -> {
            KeyServices keys = gateway.keyServices().orElseThrow();
            return new Edge(address, keys.hsmDescription(), keys.developmentHsm(), keys.root());
        }).orElse(null);
        print(out, config, gateway.adminAddress(), edge);
    }

    /** What the edge port serves and with which keys, when an edge service runs. */
    record Edge(InetSocketAddress address, String hsmDescription, boolean developmentHsm, RootCredentials.Outcome root) {}

    static void print(PrintWriter out, ServeConfig config, InetSocketAddress adminAddress, Edge edge) {
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
            boolean served = edge != null && Gateway.BUILT.contains(service) && service.usesEdgePorts();
            out.println(pad(service.id() + ":") + (served ? endpoint : "not built yet in this version"));
        }
        if (edge != null) {
            printRoot(out, edge.root());
            out.println("try:    aws --endpoint-url " + endpoint + " --region " + config.region()
                    + (config.services().contains(CofferService.KMS) ? " kms list-keys" : " iam list-users")
                    + "   (with the root credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)");
        }
        out.println(READY + "; Ctrl-C or SIGTERM stops it");
        out.flush();
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

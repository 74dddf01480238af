package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.transport.HostPort;
import java.io.PrintWriter;
import java.net.InetSocketAddress;

/**
 * What {@code coffer serve} tells its user at start, on stdout: what is served where. Scripts and
 * tests read it, so each line is {@code name: value} and the last is {@code coffer: ready...}.
 */
final class StartupBanner {
    static final String READY = "coffer: ready";

    private StartupBanner() {}

    static void print(PrintWriter out, ServeConfig config, InetSocketAddress adminAddress) {
        String admin = HostPort.httpUrl(adminAddress);
        out.println("coffer " + CofferVersion.cofferVersion());
        out.println("admin:  " + admin + "/health " + admin + "/metrics");
        out.println("data:   " + config.dataDir());
        out.println("region: " + config.region());
        for (CofferService service : config.services()) {
            out.println(pad(service.id() + ":") + "not built yet in this version");
        }
        out.println(READY + "; Ctrl-C or SIGTERM stops it");
        out.flush();
    }

    private static String pad(String label) {
        return String.format("%-8s", label);
    }
}

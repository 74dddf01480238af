package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.HsmConfig;
import dev.coffer.gateway.config.ServeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

    private static String banner(ServeConfig config, InetSocketAddress admin) {
        StringWriter out = new StringWriter();
        StartupBanner.print(new PrintWriter(out), config, admin, null);
        return out.toString();
    }

    private static ServeConfig config(InetAddress bind, EnumSet<CofferService> services) {
        return new ServeConfig(Path.of("/srv/coffer"), bind, 9000, OptionalInt.of(9443), 10809, 0, "eu-west-1", services,
                new HsmConfig.Software(), Optional.empty(), 10_000, Optional.empty());
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
                "s3:     not built yet in this version",
                "nbd:    not built yet in this version",
                "coffer: ready; Ctrl-C or SIGTERM stops it");
    }

    @Test
    void bracketsIpv6AddressesInUrls() throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");

        String banner = banner(config(loopback, EnumSet.of(CofferService.KMS)), new InetSocketAddress(loopback, 9090));

        assertThat(banner).contains("admin:  http://[0:0:0:0:0:0:0:1]:9090/health");
    }
}

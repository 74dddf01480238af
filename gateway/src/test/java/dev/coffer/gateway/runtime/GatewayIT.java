package dev.coffer.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in-process, on real sockets: start, serve, fail to start, and release on close. */
class GatewayIT {
    @TempDir
    Path temp;

    private int starts;

    /** Each start gets its own data directory: two gateways never share one (its stores are locked). */
    private ServeConfig config(int adminPort) {
        return config(Map.of(ServeSetting.ADMIN_PORT, Integer.toString(adminPort)));
    }

    private ServeConfig config(Map<ServeSetting, String> settings) {
        Map<ServeSetting, String> commandLine = new EnumMap<>(Map.of(
                ServeSetting.DATA_DIR, temp.resolve("data" + starts++).toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "0",
                ServeSetting.SERVICES, "kms"));
        commandLine.putAll(settings);
        return new ServeConfigResolver(Map.of()).resolve(commandLine);
    }

    private static int get(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataDirectoryFailsClearly() throws Exception {
        ServeConfig config = config(0);
        try (Gateway first = Gateway.start(config, Map.of())) {
            assertThatThrownBy(() -> Gateway.start(config, Map.of()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("cannot open the HSM").hasMessageContaining("already open");
        }
    }

    @Test
    void servesHealthOnAnEphemeralPort() throws Exception {
        try (Gateway gateway = Gateway.start(config(0), Map.of())) {
            assertThat(gateway.adminAddress().getPort()).isPositive();
            assertThat(get("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/health")).isEqualTo(200);
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingTheSettingAndCloseReleasesThePort() throws Exception {
        int port;
        try (Gateway first = Gateway.start(config(0), Map.of())) {
            port = first.adminAddress().getPort();

            assertThatThrownBy(() -> Gateway.start(config(port), Map.of()))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + ": Address already in use"
                            + " (admin server, --admin-port / --bind)");
        }

        try (Gateway again = Gateway.start(config(port), Map.of())) {
            assertThat(again.adminAddress().getPort()).isEqualTo(port);
        }
    }

    @Test
    void aTakenHttpsPortFailsTheStartNamingTheSetting() throws Exception {
        try (Gateway first = Gateway.start(config(0), Map.of())) {
            int port = first.httpsEdgeAddress().orElseThrow().getPort();

            assertThatThrownBy(() -> Gateway.start(config(Map.of(ServeSetting.HTTPS_PORT, Integer.toString(port))), Map.of()))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + ": Address already in use"
                            + " (HTTPS edge server, --https-port / --bind)");
        }
    }

    @Test
    void httpsTurnedOffListensOnlyOverHttpAndMakesNoCa() throws Exception {
        ServeConfig config = config(Map.of(ServeSetting.HTTPS_PORT, "-1"));
        try (Gateway gateway = Gateway.start(config, Map.of())) {
            assertThat(gateway.edgeAddress()).isPresent();
            assertThat(gateway.httpsEdgeAddress()).isEmpty();
            assertThat(gateway.edgeTls()).isEmpty();
        }
        assertThat(config.dataDir().resolve("tls")).doesNotExist();
    }

    @Test
    void aCorruptDevelopmentCaFailsTheStartNamingTheFileAndReleasesWhatWasStarted() throws Exception {
        ServeConfig config = config(Map.of());
        try (Gateway first = Gateway.start(config, Map.of())) {
            assertThat(first.edgeTls().orElseThrow().certificate().developmentCaCreated()).isTrue();
        }
        Path ca = config.dataDir().resolve("tls").resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> Gateway.start(config, Map.of()))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("development CA: " + ca + ": ");
        Files.delete(ca);
        try (Gateway again = Gateway.start(config, Map.of())) {
            assertThat(again.edgeTls().orElseThrow().certificate().developmentCaCreated())
                    .as("the failed start released the data directory; a CA without ca.pem is made anew").isTrue();
        }
    }

    @Test
    void theBlockCacheSizeSettingReachesTheVolumeStore() throws Exception {
        ServeConfig config = config(Map.of(ServeSetting.SERVICES, "kms,ec2", ServeSetting.HTTPS_PORT, "-1",
                ServeSetting.BLOCK_CACHE_SIZE, Long.toString(48L << 20)));
        try (Gateway gateway = Gateway.start(config, Map.of())) {
            assertThat(gateway.volumeStore().orElseThrow().blockCacheCapacityBytes()).isEqualTo(48L << 20);
        }
        try (Gateway gateway = Gateway.start(config(Map.of(ServeSetting.SERVICES, "kms,ec2", ServeSetting.HTTPS_PORT, "-1")),
                Map.of())) {
            assertThat(gateway.volumeStore().orElseThrow().blockCacheCapacityBytes()).as("the default").isEqualTo(128L << 20);
        }
    }
}

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
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in-process, on real sockets: start, serve, fail to start, and release on close. */
class GatewayIT {
    @TempDir
    Path temp;

    private ServeConfig config(int adminPort) {
        return new ServeConfigResolver(Map.of()).resolve(Map.of(
                ServeSetting.DATA_DIR, temp.resolve("data").toString(),
                ServeSetting.ADMIN_PORT, Integer.toString(adminPort),
                ServeSetting.SERVICES, "kms"));
    }

    private static int get(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    @Test
    void servesHealthOnAnEphemeralPort() throws Exception {
        try (Gateway gateway = Gateway.start(config(0))) {
            assertThat(gateway.adminAddress().getPort()).isPositive();
            assertThat(get("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/health")).isEqualTo(200);
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingTheSettingAndCloseReleasesThePort() throws Exception {
        int port;
        try (Gateway first = Gateway.start(config(0))) {
            port = first.adminAddress().getPort();

            assertThatThrownBy(() -> Gateway.start(config(port)))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + ": Address already in use"
                            + " (admin server, --admin-port / --bind)");
        }

        try (Gateway again = Gateway.start(config(port))) {
            assertThat(again.adminAddress().getPort()).isEqualTo(port);
        }
    }
}

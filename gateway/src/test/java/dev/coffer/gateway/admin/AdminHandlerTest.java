package dev.coffer.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin pipeline, from raw request bytes to raw response bytes, on an EmbeddedChannel built by
 * the real {@link AdminServerInitializer}.
 */
class AdminHandlerTest {
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String METRICS_BODY = "# TYPE jvm_memory_used_bytes gauge\njvm_memory_used_bytes 1.0\n";

    private final HealthRegistry health = new HealthRegistry();
    private final Queue<Runnable> endpointTasks = new ArrayDeque<>();
    private Executor endpointExecutor = Runnable::run;
    private EmbeddedChannel channel;

    private EmbeddedChannel channel() {
        if (channel == null) {
            AdminRoutes routes = AdminRoutes.builder()
                    .route("/health", new HealthEndpoint(health))
                    .route("/metrics", new MetricsEndpoint(() -> METRICS_BODY, PROMETHEUS))
                    .route("/broken", () -> {
                        throw new IllegalStateException("boom");
                    })
                    .build();
            channel = new EmbeddedChannel(new AdminServerInitializer(routes, endpointExecutor));
        }
        return channel;
    }

    /** Writes whole requests, checks the pipeline released them, and returns everything written back. */
    private String exchange(String rawRequests) {
        return exchangeInPieces(rawRequests);
    }

    /** Writes each piece as its own read; checks all are released once the last has been decoded. */
    private String exchangeInPieces(String... pieces) {
        List<ByteBuf> written = new ArrayList<>();
        for (String piece : pieces) {
            ByteBuf buffer = Unpooled.copiedBuffer(piece, StandardCharsets.US_ASCII);
            written.add(buffer);
            channel().writeInbound(buffer);
            channel().runPendingTasks();
        }
        assertThat(written).as("request buffers released").allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
        return drainOutbound();
    }

    private String drainOutbound() {
        StringBuilder response = new StringBuilder();
        for (ByteBuf written; (written = channel().readOutbound()) != null; ) {
            response.append(written.toString(StandardCharsets.UTF_8));
            written.release();
        }
        return response.toString();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @AfterEach
    void nothingLeftOverOrLeaked() {
        if (channel != null) {
            drainOutbound();
            assertThat(channel.finishAndReleaseAll()).as("unread messages left in the channel").isFalse();
        }
    }

    @Test
    void healthAnswersJsonWithEveryComponent() {
        health.register("admin", () -> HealthStatus.UP);
        health.register("s3", () -> HealthStatus.NOT_BUILT);

        String response = exchange(get("/health"));

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("content-type: application/json\r\n")
                .endsWith("\r\n\r\n{\"status\":\"UP\",\"services\":{\"admin\":\"UP\",\"s3\":\"NOT_BUILT\"}}");
    }

    @Test
    void healthIsServiceUnavailableWhenAComponentIsDown() {
        health.register("admin", () -> HealthStatus.UP);
        health.register("kms", () -> HealthStatus.DOWN);

        assertThat(exchange(get("/health"))).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("{\"status\":\"DOWN\",");
    }

    @Test
    void metricsAnswersPrometheusText() {
        String response = exchange(get("/metrics"));

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("content-type: " + PROMETHEUS + "\r\n")
                .endsWith("\r\n\r\n" + METRICS_BODY);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() {
        String response = exchange("HEAD /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("content-length: " + METRICS_BODY.length() + "\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void queryStringsDoNotChangeTheRoute() {
        assertThat(exchange(get("/metrics?name=jvm"))).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(exchange(get("/healthz"))).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void otherMethodsAreNotAllowedAndToldWhatIs() {
        String response = exchange("POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("allow: GET, HEAD\r\n");
    }

    @Test
    void bodiesOverTheLimitAreRejectedBeforeRouting() {
        int tooLarge = AdminServerInitializer.MAX_REQUEST_BODY_BYTES + 1;

        String response = exchange("POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + tooLarge
                + "\r\n\r\n" + "x".repeat(tooLarge));

        assertThat(response).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    }

    @Test
    void malformedRequestIsBadRequestAndClosesTheConnection() {
        String response = exchange("GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: nine\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(channel().isOpen()).isFalse();
    }

    @Test
    void endpointFailureIsAnInternalErrorWithoutDetails() {
        String response = exchange(get("/broken"));

        assertThat(response).startsWith("HTTP/1.1 500 Internal Server Error\r\n").doesNotContain("boom");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        health.register("admin", () -> HealthStatus.UP);

        String responses = exchange(get("/metrics") + get("/nope") + get("/health"));

        int metrics = responses.indexOf("jvm_memory_used_bytes 1.0");
        int notFound = responses.indexOf("404 Not Found");
        int healthJson = responses.indexOf("{\"status\":\"UP\"");
        assertThat(metrics).isNotNegative().isLessThan(notFound);
        assertThat(notFound).isLessThan(healthJson);
    }

    @Test
    void endpointsRunOnTheEndpointExecutorNotOnTheEventLoop() {
        endpointExecutor = endpointTasks::add;
        health.register("admin", () -> HealthStatus.UP);

        assertThat(exchange(get("/health"))).as("nothing answered on the event loop").isEmpty();
        assertThat(endpointTasks).hasSize(1);

        endpointTasks.remove().run();
        channel().runPendingTasks();

        assertThat(drainOutbound()).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void readsTheNextRequestOnlyAfterAnsweringTheCurrentOne() {
        endpointExecutor = endpointTasks::add;
        health.register("admin", () -> HealthStatus.UP);

        exchange(get("/health") + get("/health"));

        assertThat(endpointTasks).as("second request held back").hasSize(1);
        endpointTasks.remove().run();
        channel().runPendingTasks();
        assertThat(endpointTasks).as("second request read after the first answer").hasSize(1);
        endpointTasks.remove().run();
        channel().runPendingTasks();
        assertThat(drainOutbound().split("HTTP/1.1 200 OK", -1)).hasSize(3);
    }

    @Test
    void answersOneRequestAfterAnotherOnOneConnectionWhetherAnsweredOnOrOffTheLoop() {
        health.register("admin", () -> HealthStatus.UP);

        assertThat(exchange(get("/nope"))).startsWith("HTTP/1.1 404 ");
        assertThat(exchange(get("/health"))).startsWith("HTTP/1.1 200 ");
        assertThat(exchange("DELETE /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 405 ");
        assertThat(exchange("HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        assertThat(exchange(get("/nope"))).startsWith("HTTP/1.1 404 ");
        assertThat(exchange(get("/metrics"))).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void answersARequestThatArrivesInPiecesAfterAnEarlierAnswer() {
        assertThat(exchange(get("/nope"))).startsWith("HTTP/1.1 404 ");

        assertThat(exchangeInPieces("GET /metr", "ics HTTP/1.1\r\nHost: loc", "alhost\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void connectionCloseIsHonoured() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).contains("connection: close\r\n");
        assertThat(channel().isOpen()).isFalse();
    }

    @Test
    void keepAliveConnectionStaysOpen() {
        exchange(get("/metrics"));

        assertThat(channel().isOpen()).isTrue();
    }
}

package dev.coffer.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.service.StreamingExchange;
import dev.coffer.auth.service.StreamingProtocolService;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flow.FlowControlHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The streaming path of the edge handler on an embedded channel: the body reaches the service, the answer reaches the client. */
class EdgeStreamingTest {
    private final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** Echoes the request body's length back. */
    static final class LengthService implements StreamingProtocolService {
        @Override
        public String signingName() {
            return "s3";
        }

        @Override
        public void handle(StreamingExchange exchange) throws Exception {
            if (exchange.head().rawPath().equals("/refuse")) {
                // Refused from the head alone, as a bad signature or a too-long key is: the body is never read.
                exchange.respond(ServiceResponse.of(403, "text/plain", "refused"));
                return;
            }
            int length = exchange.body().readAllBytes().length;
            exchange.respond(new ServiceResponse(200, List.of(Map.entry("Content-Type", "text/plain")),
                    Integer.toString(length).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public ServiceResponse internalError(String requestId) {
            return ServiceResponse.of(500, "text/plain", "internal");
        }

        @Override
        public ServiceResponse malformedRequest(String requestId, boolean tooLarge) {
            return ServiceResponse.of(400, "text/plain", tooLarge ? "too large" : "malformed");
        }
    }

    /** Answers 403 from the head alone, never reading the body (as S3 does for a bad signature or a missing upload). */
    static final class RefusingService implements StreamingProtocolService {
        @Override
        public String signingName() {
            return "s3";
        }

        @Override
        public void handle(StreamingExchange exchange) throws Exception {
            exchange.respond(ServiceResponse.of(403, "text/plain", "refused"));
        }

        @Override
        public ServiceResponse internalError(String requestId) {
            return ServiceResponse.of(500, "text/plain", "internal");
        }

        @Override
        public ServiceResponse malformedRequest(String requestId, boolean tooLarge) {
            return ServiceResponse.of(400, "text/plain", tooLarge ? "too large" : "malformed");
        }
    }

    @Test
    void earlyAnswerToAClientAwaitingContinueSaysTheConnectionCloses() throws Exception {
        EmbeddedChannel channel = channel(new RefusingService());
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/b/k");
        head.headers().set("Content-Length", "1000").set("Expect", "100-continue");
        channel.writeInbound(head);
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.status().code()).isEqualTo(403);
        // Saying keep-alive here would make the client send its next request on a connection being closed.
        assertThat(response.headers().get("Connection")).isEqualTo("close");
        response.release();
        // The service thread hands "response done" to the event loop: wait for it to run.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (channel.isOpen() && System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Thread.sleep(5);
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void earlyAnswerWithoutExpectContinueKeepsTheConnectionAndDrainsTheBody() throws Exception {
        EmbeddedChannel channel = channel(new RefusingService());
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/b/k");
        head.headers().set("Content-Length", "3");
        channel.writeInbound(head);
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.headers().get("Connection")).isEqualTo("keep-alive");
        response.release();
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void bodyInSeveralChunksReachesTheServiceAndTheAnswerComesBack() throws Exception {
        EmbeddedChannel channel = channel();
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/b/k");
        head.headers().set("Content-Length", "7");
        channel.writeInbound(head);
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("defg", StandardCharsets.UTF_8)));
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("7");
        response.release();
    }

    @Test
    void headAndWholeBodyArrivingTogetherWork() throws Exception {
        EmbeddedChannel channel = channel();
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/b/k");
        head.headers().set("Content-Length", "6");
        channel.writeInbound(head, new DefaultLastHttpContent(Unpooled.copiedBuffer("hello!", StandardCharsets.UTF_8)));
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("6");
        response.release();
    }

    @Test
    void anEarlyAnswerToAClientAwaitingContinueSaysCloseAndCloses() throws Exception {
        EmbeddedChannel channel = channel();
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/refuse");
        head.headers().set("Content-Length", "5").set("Expect", "100-continue");
        channel.writeInbound(head);
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.status().code()).as("no 100 Continue before the answer").isEqualTo(403);
        // The client never sent its body: a connection announced as reusable would be closed under it.
        assertThat(response.headers().get("Connection")).isEqualTo("close");
        response.release();
        awaitClosed(channel);
    }

    @Test
    void anEarlyAnswerAfterTheWholeBodyArrivedKeepsTheConnection() throws Exception {
        EmbeddedChannel channel = channel();
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/refuse");
        head.headers().set("Content-Length", "5");
        io.netty.buffer.ByteBuf body = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);
        channel.writeInbound(head, new DefaultLastHttpContent(body));
        FullHttpResponse response = awaitResponse(channel);
        assertThat(response.status().code()).isEqualTo(403);
        assertThat(response.headers().get("Connection")).isEqualTo("keep-alive");
        response.release();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(body.refCnt()).as("the unread body is released once the answer is out").isZero();
    }

    private static void awaitClosed(EmbeddedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (channel.isOpen() && System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Thread.sleep(5);
        }
        assertThat(channel.isOpen()).as("the connection closes").isFalse();
    }

    private EmbeddedChannel channel() {
        return channel(new LengthService());
    }

    private EmbeddedChannel channel(StreamingProtocolService service) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new FlowControlHandler(),
                new EdgeHandler(new EdgeRouter(List.of(), List.of(service)), workers, false));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    private static FullHttpResponse awaitResponse(EmbeddedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Object out = channel.readOutbound();
            if (out instanceof FullHttpResponse response) {
                return response;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no response within 5 s");
    }
}

package dev.coffer.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flow.FlowControlHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A buffered protocol's body over its limit (the edge handler on an embedded channel): the refusal is
 * held back until the client has sent its whole body (read and dropped, up to
 * {@link EdgeHandler#MAX_DISCARDED_BODY_BYTES}), because clients that write the whole body before
 * reading would otherwise see a reset connection instead of the answer; a client awaiting 100
 * Continue, or a body too large to drain, is answered at once.
 */
class EdgeBufferedLimitTest {
    private static final int LIMIT = 100;
    private final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** A KMS-like buffered service that accepts at most {@link #LIMIT} body bytes. */
    private static final class SmallService implements ProtocolService {
        @Override
        public String signingName() {
            return "kms";
        }

        @Override
        public int maxRequestBodyBytes() {
            return LIMIT;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public ServiceResponse handle(ServiceRequest request) {
            return ServiceResponse.of(200, "text/plain", "ok");
        }

        @Override
        public ServiceResponse requestTooLarge(String requestId) {
            return ServiceResponse.of(413, "text/plain", "too large");
        }

        @Override
        public ServiceResponse internalError(String requestId) {
            return ServiceResponse.of(500, "text/plain", "internal");
        }
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new FlowControlHandler(),
                new EdgeHandler(new EdgeRouter(List.of(new SmallService()), List.of()), workers, false));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    private static DefaultHttpRequest head(String contentLength) {
        DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        head.headers().set("X-Amz-Target", "TrentService.Encrypt");
        if (contentLength != null) {
            head.headers().set("Content-Length", contentLength);
        } else {
            head.headers().set("Transfer-Encoding", "chunked");
        }
        return head;
    }

    private static DefaultHttpContent chunk(int bytes) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private static DefaultLastHttpContent last(int bytes) {
        return new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private static FullHttpResponse response(EmbeddedChannel channel) {
        channel.runPendingTasks();
        Object out = channel.readOutbound();
        return out instanceof FullHttpResponse response ? response : null;
    }

    @Test
    void aDeclaredOverLimitBodyIsDrainedBeforeTheRefusalWhichThenClosesTheConnection() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(head("300"));
        channel.writeInbound(chunk(200));
        assertThat(response(channel)).as("no answer while the client is still sending").isNull();
        assertThat(channel.isOpen()).isTrue();

        channel.writeInbound(last(100));
        FullHttpResponse refusal = response(channel);
        assertThat(refusal).isNotNull();
        assertThat(refusal.status().code()).isEqualTo(413);
        assertThat(refusal.headers().get("Connection")).isEqualTo("close");
        refusal.release();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aChunkedBodyThatOutgrowsTheLimitIsDrainedToItsEndToo() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(head(null));
        channel.writeInbound(chunk(60));
        channel.writeInbound(chunk(60));
        assertThat(response(channel)).isNull();

        channel.writeInbound(last(10));
        FullHttpResponse refusal = response(channel);
        assertThat(refusal).isNotNull();
        assertThat(refusal.status().code()).isEqualTo(413);
        refusal.release();
    }

    @Test
    void aClientAwaitingContinueOrABodyTooLargeToDrainIsAnsweredAtOnce() {
        EmbeddedChannel awaitingContinue = channel();
        DefaultHttpRequest expecting = head("300");
        expecting.headers().set("Expect", "100-continue");
        awaitingContinue.writeInbound(expecting);
        FullHttpResponse first = response(awaitingContinue);
        assertThat(first).isNotNull();
        assertThat(first.status().code()).isEqualTo(413);
        first.release();

        EmbeddedChannel huge = channel();
        huge.writeInbound(head(String.valueOf(EdgeHandler.MAX_DISCARDED_BODY_BYTES + 1)));
        FullHttpResponse second = response(huge);
        assertThat(second).isNotNull();
        assertThat(second.status().code()).isEqualTo(413);
        second.release();
    }

    @Test
    void aRefusedBodyThatGoesOnPastTheDrainLimitIsCutOff() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(head(null));
        long sent = 0;
        FullHttpResponse refusal = null;
        while (refusal == null && sent <= EdgeHandler.MAX_DISCARDED_BODY_BYTES + (1 << 20)) {
            channel.writeInbound(chunk(1 << 20));
            sent += 1 << 20;
            refusal = response(channel);
        }
        assertThat(refusal).as("answered once more than the drain limit arrived").isNotNull();
        assertThat(sent).isGreaterThan(EdgeHandler.MAX_DISCARDED_BODY_BYTES);
        refusal.release();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }
}

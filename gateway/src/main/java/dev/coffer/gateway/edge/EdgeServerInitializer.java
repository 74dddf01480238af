package dev.coffer.gateway.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The edge port's protocol stack, top to bottom: idle timeout, HTTP/1.1 with room for presigned
 * URLs and SigV4 headers, one request at a time, then the router-dispatching handler,
 * which answers "Expect: 100-continue" itself (only once a body is wanted) and reads bodies on
 * demand. On the HTTPS port, TLS comes first.
 */
public final class EdgeServerInitializer extends ChannelInitializer<Channel> {
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Presigned URLs carry the whole signature in the query. */
    static final int MAX_INITIAL_LINE_BYTES = 16 * 1024;
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private final EdgeRouter router;
    private final ExecutorService workers;
    private final boolean secure;
    /** Null on the plain HTTP port. */
    private final SslContext sslContext;

    public EdgeServerInitializer(EdgeRouter router, ExecutorService workers, boolean secure) {
        this.router = router;
        this.workers = workers;
        this.secure = secure;
        this.sslContext = null;
    }

    /** The HTTPS port: TLS from {@code sslContext} under the same stack, every request secure transport. */
    public EdgeServerInitializer(EdgeRouter router, ExecutorService workers, SslContext sslContext) {
        this.router = router;
        this.workers = workers;
        this.secure = true;
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.config().setAutoRead(false);
        ChannelPipeline pipeline = channel.pipeline();
        if (sslContext != null) {
            // Reads on demand like the rest: SslHandler asks for what the handshake needs by itself.
            pipeline.addLast(sslContext.newHandler(channel.alloc()));
        }
        pipeline.addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        pipeline.addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 64 * 1024));
        pipeline.addLast(new FlowControlHandler());
        pipeline.addLast(new EdgeHandler(router, workers, secure));
    }
}

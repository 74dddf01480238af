package dev.coffer.gateway.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The admin port's protocol stack, top to bottom: idle timeout, HTTP/1.1, small bodies, one request
 * at a time. Typed on {@link Channel}, not SocketChannel, so tests can run it on an EmbeddedChannel.
 */
public final class AdminServerInitializer extends ChannelInitializer<Channel> {
    /**
     * Admin routes take no body; this only bounds what a client can make the server buffer. The
     * data-path servers never aggregate: their bodies stream.
     */
    public static final int MAX_REQUEST_BODY_BYTES = 8 * 1024;
    /** Closes connections nobody uses, so idle or stalled clients cannot pile up. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final AdminRoutes routes;
    private final Executor endpointExecutor;

    /**
     * @param routes           the route table
     * @param endpointExecutor where endpoints run, off the event loop
     */
    public AdminServerInitializer(AdminRoutes routes, Executor endpointExecutor) {
        this.routes = routes;
        this.endpointExecutor = endpointExecutor;
    }

    @Override
    protected void initChannel(Channel channel) {
        // Read on demand: AdminHandler asks for the next request once it has answered the last.
        channel.config().setAutoRead(false);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES));
        // Hands on one request per read(), even when a client pipelines several in one packet.
        pipeline.addLast(new FlowControlHandler());
        pipeline.addLast(new AdminHandler(routes, endpointExecutor));
    }
}

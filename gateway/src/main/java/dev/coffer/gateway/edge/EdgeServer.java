package dev.coffer.gateway.edge;

import dev.coffer.gateway.transport.BindFailedException;
import dev.coffer.gateway.transport.EventLoops;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;

/** Coffer's edge HTTP server: one port for every AWS protocol Coffer serves, over HTTP or HTTPS. */
public final class EdgeServer implements AutoCloseable {
    /**
     * How far a response may run ahead of the socket before its writer waits. Netty's default
     * (32/64 KiB) made a streamed body (a decrypted GET) wait for the socket after every chunk, so
     * producing the next chunk never overlapped sending the last; 1 MiB per connection lets them.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final Channel serverChannel;

    private EdgeServer(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Listens on {@code address} (port 0 picks a free one).
     *
     * @param workers where protocol services run, off the event loop; owned by the caller
     */
    public static EdgeServer start(EventLoops eventLoops, InetSocketAddress address, EdgeRouter router,
                                   ExecutorService workers) throws BindFailedException {
        var bootstrap = eventLoops.serverBootstrap().childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EdgeMessageSizes.INSTANCE)
                .childHandler(new EdgeServerInitializer(router, workers, false));
        return new EdgeServer(EventLoops.bind(bootstrap, address));
    }

    /** Listens for HTTPS on {@code address}: the same stack as {@link #start}, behind TLS from {@code tls}. */
    public static EdgeServer startHttps(EventLoops eventLoops, InetSocketAddress address, EdgeRouter router,
                                        ExecutorService workers, SslContext tls) throws BindFailedException {
        var bootstrap = eventLoops.serverBootstrap().childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EdgeMessageSizes.INSTANCE)
                .childHandler(new EdgeServerInitializer(router, workers, tls));
        return new EdgeServer(EventLoops.bind(bootstrap, address));
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
    }
}

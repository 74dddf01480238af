package dev.coffer.gateway.admin;

import dev.coffer.gateway.transport.BindFailedException;
import dev.coffer.gateway.transport.EventLoops;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/** The admin HTTP server: one listening channel on the shared event loops. */
public final class AdminServer implements AutoCloseable {
    private final Channel serverChannel;

    private AdminServer(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Listens on {@code address}; port 0 picks a free one, see {@link #localAddress()}.
     *
     * @param endpointExecutor where endpoints run, off the event loop; owned by the caller
     * @throws BindFailedException if the address cannot be listened on
     */
    public static AdminServer start(EventLoops eventLoops, InetSocketAddress address, AdminRoutes routes,
                                    Executor endpointExecutor) throws BindFailedException {
        var bootstrap = eventLoops.serverBootstrap()
                .childHandler(new AdminServerInitializer(routes, endpointExecutor));
        return new AdminServer(EventLoops.bind(bootstrap, address));
    }

    /** The address actually bound, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Completes when the server stops listening. */
    public Future<Void> closeFuture() {
        return serverChannel.closeFuture();
    }

    /** Stops listening; open connections close with the event loops. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
    }
}

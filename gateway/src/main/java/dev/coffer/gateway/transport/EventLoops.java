package dev.coffer.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loops every server of one process shares: one acceptor thread and a pool of I/O threads.
 * Uses the epoll transport on Linux when its native library loads (fewer copies and syscalls than
 * NIO), and NIO otherwise, so the same build runs anywhere.
 */
public final class EventLoops implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);
    /**
     * Short, because servers are closed before the loops: by then only connection teardown remains,
     * and a stop should not keep a terminal or a supervisor waiting.
     */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannelType;
    private final String transportName;

    private EventLoops(IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannelType,
                       String transportName) {
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("coffer-accept"), ioHandlers);
        // 0 threads lets Netty pick its default, twice the available processors.
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("coffer-io"), ioHandlers);
        this.serverChannelType = serverChannelType;
        this.transportName = transportName;
    }

    /** Epoll if available, else NIO. */
    public static EventLoops create() {
        if (Epoll.isAvailable()) {
            return new EventLoops(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, "epoll");
        }
        log.debug("epoll transport unavailable, using NIO", Epoll.unavailabilityCause());
        return new EventLoops(NioIoHandler.newFactory(), NioServerSocketChannel.class, "nio");
    }

    /** "epoll" or "nio". */
    public String transportName() {
        return transportName;
    }

    /** A bootstrap on these loops; the caller adds its initializer and binds with {@link #bind}. */
    public ServerBootstrap serverBootstrap() {
        return new ServerBootstrap().group(acceptors, workers).channel(serverChannelType);
    }

    /**
     * Binds and waits for the result: start-up is not on an event loop, and a server that cannot
     * listen must fail the start, not log later.
     */
    public static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) throws BindFailedException {
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new BindFailedException(address, bound.cause());
        }
        return bound.channel();
    }

    /** Shuts both groups down gracefully and waits, bounded by {@link #SHUTDOWN_TIMEOUT}. */
    @Override
    public void close() {
        Future<?> acceptorsDone = acceptors.shutdownGracefully(
                QUIET_PERIOD.toMillis(), SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Future<?> workersDone = workers.shutdownGracefully(
                QUIET_PERIOD.toMillis(), SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        acceptorsDone.awaitUninterruptibly();
        workersDone.awaitUninterruptibly();
    }
}

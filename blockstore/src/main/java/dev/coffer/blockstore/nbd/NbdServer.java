package dev.coffer.blockstore.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An NBD server (fixed newstyle, simple replies) serving the exports of an {@link NbdExports}.
 *
 * <p>Security: NBD has no authentication and this server offers no TLS yet, so anyone who can reach
 * the socket can read and write every published volume. It is secured by where it listens and what
 * it publishes: the gateway binds it to loopback (or, later, a unix socket) by default, and a volume
 * is published only while it is attached and withdrawn at detach. Binding it to a non-local address
 * exposes the volumes' plaintext to that network.
 *
 * <p>Every export advertises CAN_MULTI_CONN: a FLUSH on any connection makes every write completed on
 * every connection durable, because {@code BlockDevice.flush} covers all completed writes of the
 * device, not only the calling connection's.
 */
public final class NbdServer implements AutoCloseable {
    /**
     * Replies may run this far ahead of the socket before the connection stops reading requests: room
     * for a few 2 MiB reads (qemu's size) in flight without waiting for the socket after each.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(4 * 1024 * 1024, 8 * 1024 * 1024);

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final NbdServerConfig config;
    private final List<AutoCloseable> owned;

    private NbdServer(Channel serverChannel, ChannelGroup connections, NbdServerConfig config,
                      List<AutoCloseable> owned) {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.config = config;
        this.owned = owned;
    }

    /**
     * Listens on {@code bind} (port 0 picks a free one) with default settings and its own event loops
     * and worker pool, all released by {@link #close()}.
     */
    public static NbdServer start(InetSocketAddress bind, NbdExports exports) throws IOException {
        return start(bind, exports, NbdServerConfig.defaults());
    }

    /** As {@link #start(InetSocketAddress, NbdExports)}, with {@code config}. */
    public static NbdServer start(InetSocketAddress bind, NbdExports exports, NbdServerConfig config)
            throws IOException {
        Objects.requireNonNull(config, "config");
        List<AutoCloseable> owned = new ArrayList<>();
        EventLoopGroup acceptors;
        EventLoopGroup io;
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (Epoll.isAvailable()) {
            acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("coffer-nbd-accept"),
                    EpollIoHandler.newFactory());
            io = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("coffer-nbd-io"),
                    EpollIoHandler.newFactory());
            bootstrap.group(acceptors, io).channel(EpollServerSocketChannel.class);
        } else {
            acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("coffer-nbd-accept"),
                    NioIoHandler.newFactory());
            io = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("coffer-nbd-io"),
                    NioIoHandler.newFactory());
            bootstrap.group(acceptors, io).channel(NioServerSocketChannel.class);
        }
        ExecutorService workers = Executors.newFixedThreadPool(config.workerThreads(),
                Thread.ofPlatform().name("coffer-nbd-worker-", 0).daemon().factory());
        // Closed in this order after the connections: no task may reach a worker pool that is gone.
        owned.add(() -> {
            acceptors.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            io.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        });
        owned.add(workers::close);
        try {
            return start(bootstrap, bind, exports, config, workers, owned);
        } catch (IOException | RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /**
     * Listens on {@code bind} on the caller's event loops: {@code bootstrap} has its groups and server
     * channel type set (the gateway passes {@code EventLoops.serverBootstrap()}). Device calls run on
     * {@code workers}, also the caller's; neither is closed by {@link #close()}.
     */
    public static NbdServer start(ServerBootstrap bootstrap, InetSocketAddress bind, NbdExports exports,
                                  NbdServerConfig config, Executor workers) throws IOException {
        return start(bootstrap, bind, exports, config, workers, List.of());
    }

    private static NbdServer start(ServerBootstrap bootstrap, InetSocketAddress bind, NbdExports exports,
                                   NbdServerConfig config, Executor workers, List<AutoCloseable> owned)
            throws IOException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(workers, "workers");
        ChannelGroup connections = new DefaultChannelGroup("coffer-nbd", GlobalEventExecutor.INSTANCE);
        bootstrap.childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new NbdServerInitializer(exports, NbdTransmissionHandler.factory(workers, config),
                        config, connections));
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for NBD on " + bind + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        return new NbdServer(bound.channel(), connections, config, owned);
    }

    /** The address listened on, with the port chosen when the bind asked for port 0. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Stops listening, lets every connection finish the requests it has in flight (answering them),
     * closes the connections, waiting at most {@link NbdServerConfig#closeTimeout()} before closing
     * the rest at once, then releases the event loops and workers the server made itself. The
     * exports stay published in their {@link NbdExports}.
     */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        for (Channel connection : connections) {
            NbdTransmissionHandler transmission = connection.pipeline().get(NbdTransmissionHandler.class);
            if (transmission != null) {
                drained.add(transmission.drainAndClose());
            } else {
                connection.close();
            }
        }
        try {
            CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new))
                    .get(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closed below regardless.
        }
        connections.close().awaitUninterruptibly();
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // Shutting down: nothing useful left to do with it.
            }
        }
    }
}

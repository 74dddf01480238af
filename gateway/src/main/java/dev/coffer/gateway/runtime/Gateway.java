package dev.coffer.gateway.runtime;

import dev.coffer.gateway.admin.AdminRoutes;
import dev.coffer.gateway.admin.AdminServer;
import dev.coffer.gateway.admin.HealthEndpoint;
import dev.coffer.gateway.admin.HealthRegistry;
import dev.coffer.gateway.admin.HealthStatus;
import dev.coffer.gateway.admin.MetricsEndpoint;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.metrics.GatewayMetrics;
import dev.coffer.gateway.transport.BindFailedException;
import dev.coffer.gateway.transport.EventLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@code coffer serve}: every server it runs and what they share. Today only the admin
 * server exists; each requested service is reported {@link HealthStatus#NOT_BUILT}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Admin endpoints are cheap; two threads keep a slow scrape from stalling a health probe. */
    private static final int ADMIN_THREADS = 2;
    private static final Duration ADMIN_EXECUTOR_SHUTDOWN = Duration.ofSeconds(2);

    private final AdminServer adminServer;
    /** Everything started, to close in reverse order. */
    private final Deque<AutoCloseable> started;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(AdminServer adminServer, Deque<AutoCloseable> started) {
        this.adminServer = adminServer;
        this.started = started;
    }

    /**
     * Starts everything {@code config} asks for, or nothing: on failure whatever was started is
     * closed again before the exception leaves.
     *
     * @throws StartupException if the data directory cannot be prepared or a port cannot be bound
     */
    public static Gateway start(ServeConfig config) throws StartupException {
        DataDirectory.prepare(config.dataDir());
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            GatewayMetrics metrics = GatewayMetrics.create();
            started.push(metrics);
            HealthRegistry health = new HealthRegistry();
            health.register("admin", () -> HealthStatus.UP);
            for (CofferService service : config.services()) {
                health.register(service.id(), () -> HealthStatus.NOT_BUILT);
            }
            EventLoops eventLoops = EventLoops.create();
            started.push(eventLoops);
            log.info("using the {} transport", eventLoops.transportName());
            // Closed before the event loops, so a request arriving while stopping gets a 503.
            ExecutorService adminExecutor = Executors.newFixedThreadPool(ADMIN_THREADS,
                    Thread.ofPlatform().name("coffer-admin-", 0).daemon(true).factory());
            started.push(() -> shutDown(adminExecutor));

            AdminRoutes adminRoutes = AdminRoutes.builder()
                    .route("/health", new HealthEndpoint(health))
                    .route("/metrics", new MetricsEndpoint(metrics::scrape, GatewayMetrics.CONTENT_TYPE))
                    .build();
            AdminServer adminServer = startAdminServer(config, eventLoops, adminRoutes, adminExecutor);
            started.push(adminServer);
            return new Gateway(adminServer, started);
        } catch (StartupException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static AdminServer startAdminServer(ServeConfig config, EventLoops eventLoops, AdminRoutes routes,
                                                ExecutorService executor) throws StartupException {
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.adminPort());
        try {
            return AdminServer.start(eventLoops, address, routes, executor);
        } catch (BindFailedException e) {
            throw new StartupException(e.getMessage() + " (admin server, "
                    + ServeSetting.ADMIN_PORT.option() + " / " + ServeSetting.BIND.option() + ")", e);
        }
    }

    /** Where the admin server listens, with the real port if 0 was configured. */
    public InetSocketAddress adminAddress() {
        return adminServer.localAddress();
    }

    /** Blocks until the gateway stops serving, i.e. until {@link #close()}. */
    public void awaitStopped() throws InterruptedException {
        adminServer.closeFuture().await();
    }

    /** Stops listening, drains the event loops and releases everything. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(started);
        }
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                // Keep closing the rest: a stop that gives up half-way leaks threads and ports.
                log.warn("closing {} failed", resource, e);
            }
        }
    }

    private static void shutDown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(ADMIN_EXECUTOR_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
            executor.shutdownNow();
        }
    }
}

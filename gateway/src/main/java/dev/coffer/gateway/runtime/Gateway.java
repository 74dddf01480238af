package dev.coffer.gateway.runtime;

import dev.coffer.auth.service.StreamingProtocolService;
import dev.coffer.blockstore.ec2.Ec2Service;
import dev.coffer.blockstore.engine.VolumeStore;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.blockstore.nbd.NbdServer;
import dev.coffer.gateway.admin.AdminRoutes;
import dev.coffer.gateway.admin.AdminServer;
import dev.coffer.gateway.admin.HealthEndpoint;
import dev.coffer.gateway.admin.HealthRegistry;
import dev.coffer.gateway.admin.HealthStatus;
import dev.coffer.gateway.admin.MetricsEndpoint;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.ebs.KmsClientVolumeKeyService;
import dev.coffer.gateway.edge.EdgeRouter;
import dev.coffer.gateway.edge.EdgeServer;
import dev.coffer.gateway.metrics.GatewayMetrics;
import dev.coffer.gateway.tls.EdgeTls;
import dev.coffer.gateway.tls.TlsSetupException;
import dev.coffer.gateway.transport.BindFailedException;
import dev.coffer.gateway.transport.EventLoops;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.ObjectKeys;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started {@code coffer serve}: every server it runs and what they share: the admin server, and
 * when an edge service is requested the edge port with IAM and whichever of the KMS, S3 and EC2 are
 * asked for, and with EC2 the volume engine and (if asked for) the NBD server.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Admin endpoints are cheap; two threads keep a slow scrape from stalling a health probe. */
    private static final int ADMIN_THREADS = 2;
    private static final Duration ADMIN_EXECUTOR_SHUTDOWN = Duration.ofSeconds(2);

    /** Protocol services are mostly waits on the HSM, the disk and fsync: more threads than cores. */
    private static final int EDGE_WORKER_THREADS = 32;

    private final AdminServer adminServer;
    private final EdgeServer edgeServer;
    private final HttpsEdge httpsEdge;
    private final KeyServices keyServices;
    private final KeyService s3KeyService;
    private final ObjectKeys s3ObjectKeys;
    private final VolumeKeyService volumeKeyService;
    private final NbdServer nbdServer;
    private final VolumeStore volumeStore;
    /** Everything started, to close in reverse order. */
    private final Deque<AutoCloseable> started;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The edge port over TLS and what it serves with. */
    private record HttpsEdge(EdgeServer server, EdgeTls tls) {}

    private Gateway(AdminServer adminServer, EdgeServer edgeServer, HttpsEdge httpsEdge, KeyServices keyServices,
                    KeyService s3KeyService, ObjectKeys s3ObjectKeys, VolumeKeyService volumeKeyService,
                    NbdServer nbdServer, VolumeStore volumeStore, Deque<AutoCloseable> started) {
        this.adminServer = adminServer;
        this.edgeServer = edgeServer;
        this.httpsEdge = httpsEdge;
        this.keyServices = keyServices;
        this.s3KeyService = s3KeyService;
        this.s3ObjectKeys = s3ObjectKeys;
        this.volumeKeyService = volumeKeyService;
        this.nbdServer = nbdServer;
        this.volumeStore = volumeStore;
        this.started = started;
    }

    /**
     * Starts everything {@code config} asks for, or nothing: on failure whatever was started is
     * closed again before the exception leaves.
     *
     * @throws StartupException if the data directory cannot be prepared or a port cannot be bound
     */
    public static Gateway start(ServeConfig config, Map<String, String> environment) throws StartupException {
        DataDirectory.prepare(config.dataDir());
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            GatewayMetrics metrics = GatewayMetrics.create();
            started.push(metrics);
            HealthRegistry health = new HealthRegistry();
            health.register("admin", () -> HealthStatus.UP);
            for (CofferService service : config.services()) {
                health.register(service.id(), () -> HealthStatus.UP);
            }
            EventLoops eventLoops = EventLoops.create();
            started.push(eventLoops);
            log.info("using the {} transport", eventLoops.transportName());

            KeyServices keyServices = null;
            EdgeServer edgeServer = null;
            HttpsEdge httpsEdge = null;
            KeyService s3KeyService = null;
            ObjectKeys s3ObjectKeys = null;
            VolumeKeyService volumeKeyService = null;
            NbdServer nbdServer = null;
            VolumeStore volumeStore = null;
            if (config.services().stream().anyMatch(CofferService::usesEdgePorts)) {
                keyServices = KeyServices.start(config, environment, started);
                ExecutorService edgeWorkers = Executors.newFixedThreadPool(EDGE_WORKER_THREADS,
                        Thread.ofPlatform().name("coffer-edge-", 0).daemon(true).factory());
                started.push(() -> shutDown(edgeWorkers));
                List<StreamingProtocolService> streaming = new ArrayList<>();
                // The edge binds after the S3 front end is built; its key service reads the address at its first call.
                AtomicReference<EdgeServer> boundEdge = new AtomicReference<>();
                if (config.services().contains(CofferService.S3)) {
                    S3Services.Started s3 = S3Services.start(config, keyServices.identities,
                            () -> Optional.ofNullable(boundEdge.get()).map(EdgeServer::localAddress), started);
                    streaming.add(s3.protocol());
                    s3KeyService = s3.keyService();
                    s3ObjectKeys = s3.objectKeys();
                }
                Ec2Service ec2 = null;
                if (config.services().contains(CofferService.EC2)) {
                    volumeKeyService = KmsClientVolumeKeyService.start(config, keyServices.identities,
                            () -> Optional.ofNullable(boundEdge.get()).map(EdgeServer::localAddress), started);
                    VolumeServices.Started volumes = VolumeServices.start(config, keyServices.identities, volumeKeyService,
                            eventLoops, started);
                    ec2 = volumes.ec2();
                    nbdServer = volumes.nbd();
                    volumeStore = volumes.store();
                    keyServices.protocols.add(ec2);
                }
                EdgeRouter router = new EdgeRouter(keyServices.protocols, streaming);
                edgeServer = startEdgeServer(config, eventLoops, router, edgeWorkers);
                started.push(edgeServer);
                boundEdge.set(edgeServer);
                if (config.httpsPort().isPresent()) {
                    httpsEdge = startHttpsEdgeServer(config, eventLoops, router, edgeWorkers);
                    started.push(httpsEdge.server());
                }
                if (ec2 != null) {
                    // Re-publishing attached volumes unseals their keys through the KMS, now reachable.
                    ec2.recover();
                }
            }
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
            return new Gateway(adminServer, edgeServer, httpsEdge, keyServices, s3KeyService, s3ObjectKeys, volumeKeyService, nbdServer,
                    volumeStore, started);
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

    private static EdgeServer startEdgeServer(ServeConfig config, EventLoops eventLoops, EdgeRouter router,
                                              ExecutorService workers) throws StartupException {
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.httpPort());
        try {
            return EdgeServer.start(eventLoops, address, router, workers);
        } catch (BindFailedException e) {
            throw new StartupException(e.getMessage() + " (edge server, "
                    + ServeSetting.HTTP_PORT.option() + " / " + ServeSetting.BIND.option() + ")", e);
        }
    }

    /**
     * The same edge behind TLS: the operator's certificate or the development CA's (created or renewed
     * here), and the same router and workers as the plain port, so only the transport differs.
     */
    private static HttpsEdge startHttpsEdgeServer(ServeConfig config, EventLoops eventLoops, EdgeRouter router,
                                                  ExecutorService workers) throws StartupException {
        EdgeTls tls;
        try {
            tls = EdgeTls.prepare(config);
        } catch (TlsSetupException e) {
            throw new StartupException(e.getMessage(), e);
        }
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.httpsPort().orElseThrow());
        try {
            return new HttpsEdge(EdgeServer.startHttps(eventLoops, address, router, workers, tls.sslContext()), tls);
        } catch (BindFailedException e) {
            throw new StartupException(e.getMessage() + " (HTTPS edge server, "
                    + ServeSetting.HTTPS_PORT.option() + " / " + ServeSetting.BIND.option() + ")", e);
        }
    }

    /** Where the edge port listens (S3, KMS, EC2 and IAM), if any edge service runs. */
    public Optional<InetSocketAddress> edgeAddress() {
        return Optional.ofNullable(edgeServer).map(EdgeServer::localAddress);
    }

    /** Where the edge port listens over HTTPS, if an edge service runs and HTTPS is on. */
    public Optional<InetSocketAddress> httpsEdgeAddress() {
        return Optional.ofNullable(httpsEdge).map(https -> https.server().localAddress());
    }

    /** The HTTPS port's certificate and TLS provider, if it listens. */
    public Optional<EdgeTls> edgeTls() {
        return Optional.ofNullable(httpsEdge).map(HttpsEdge::tls);
    }

    /** What start-up says about the HSM, root credentials and services, if the edge runs. */
    public Optional<KeyServices> keyServices() {
        return Optional.ofNullable(keyServices);
    }

    /** The key service S3 server-side encryption gets its data keys from, if S3 runs. */
    public Optional<KeyService> s3KeyService() {
        return Optional.ofNullable(s3KeyService);
    }

    /** Where the S3 front end's object data keys come from (its KMS call counts), if S3 runs. */
    public Optional<ObjectKeys> s3ObjectKeys() {
        return Optional.ofNullable(s3ObjectKeys);
    }

    /** Where the NBD server listens for attached volumes, if the nbd service runs with ec2. */
    public Optional<InetSocketAddress> nbdAddress() {
        return Optional.ofNullable(nbdServer).map(NbdServer::address);
    }

    /** The volume engine (its block cache, for one), if EC2 runs. */
    public Optional<VolumeStore> volumeStore() {
        return Optional.ofNullable(volumeStore);
    }

    /** Where encrypted volumes get their data keys (the KMS as EBS uses it), if EC2 runs. */
    public Optional<VolumeKeyService> volumeKeyService() {
        return Optional.ofNullable(volumeKeyService);
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

package dev.coffer.gateway.runtime;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.blockstore.ec2.Ec2Config;
import dev.coffer.blockstore.ec2.Ec2Service;
import dev.coffer.blockstore.engine.VolumeStore;
import dev.coffer.blockstore.engine.VolumeStoreConfig;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.blockstore.nbd.NbdExports;
import dev.coffer.blockstore.nbd.NbdServer;
import dev.coffer.blockstore.nbd.NbdServerConfig;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.transport.EventLoops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Deque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The volumes of one gateway: the volume engine under {@code <data-dir>/ebs}, the NBD server that
 * exports attached volumes (service {@code nbd}, on {@code --nbd-port}), and the EC2 API that
 * creates, attaches and snapshots them (service {@code ec2}, on the edge port). Both share one
 * export table: AttachVolume publishes a volume there under its id, DetachVolume withdraws it.
 */
final class VolumeServices {
    /**
     * What {@link #start} built.
     *
     * @param ec2 the EC2 API, or null when {@code ec2} is not among the services
     * @param nbd the NBD server, or null when {@code nbd} is not among the services
     * @param store the volume engine
     */
    record Started(Ec2Service ec2, NbdServer nbd, VolumeStore store) {}

    /** NBD device calls wait on RocksDB and fsync: a few more threads than cores. */
    private static final int NBD_WORKER_THREADS = 16;
    /** Snapshot copies and re-encrypting volume creations: a few at a time, a bounded queue behind them. */
    private static final int COPY_THREADS = 2;
    private static final int COPY_QUEUE = 64;

    private VolumeServices() {
    }

    /**
     * Opens the engine and starts what {@code config} asks for. The EC2 API's {@link Ec2Service#recover()}
     * is the caller's to run once the KMS answers (the embedded KMS listens on the edge port, which binds later).
     */
    static Started start(ServeConfig config, IdentityStore identities, VolumeKeyService keys, EventLoops eventLoops,
                         Deque<AutoCloseable> started) throws StartupException {
        Path directory = config.dataDir().resolve("ebs");
        VolumeStore store;
        try {
            store = VolumeStore.open(directory, new VolumeStoreConfig(config.blockCacheSizeBytes()));
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot open the volume store in " + directory + ": " + e.getMessage(), e);
        }
        started.push(store);
        NbdExports exports = new NbdExports();
        NbdServer nbd = null;
        if (config.services().contains(CofferService.NBD)) {
            ExecutorService workers = Executors.newFixedThreadPool(NBD_WORKER_THREADS,
                    Thread.ofPlatform().name("coffer-nbd-", 0).daemon(true).factory());
            started.push(() -> shutDown(workers));
            InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.nbdPort());
            try {
                nbd = NbdServer.start(eventLoops.serverBootstrap(), address, exports, NbdServerConfig.defaults(), workers);
            } catch (IOException e) {
                throw new StartupException(e.getMessage() + " (NBD server, " + ServeSetting.NBD_PORT.option() + " / "
                        + ServeSetting.BIND.option() + ")", e);
            }
            started.push(nbd);
        }
        Ec2Service ec2 = null;
        if (config.services().contains(CofferService.EC2)) {
            ThreadPoolExecutor copies = new ThreadPoolExecutor(COPY_THREADS, COPY_THREADS, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(COPY_QUEUE), Thread.ofPlatform().name("coffer-ebs-copy-", 0).daemon(true).factory());
            started.push(() -> shutDown(copies));
            ec2 = Ec2Service.open(store, keys, exports, identities, Ec2Config.defaults(config.region()), Clock.systemUTC(), copies);
            // Closed before the NBD server and the store: it withdraws and flushes the attached volumes.
            started.push(ec2);
        }
        return new Started(ec2, nbd, store);
    }

    private static void shutDown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}

package dev.coffer.blockstore.ec2;

import dev.coffer.auth.identity.AesGcmSecretSealer;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.blockstore.engine.VolumeStore;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 service as the gateway will compose it, in process: an identity store on a temporary
 * directory with the account root's key installed, a volume engine, a recording export table, an
 * in-memory KMS, a bounded copy executor; and real AWS SDK {@link Ec2Client}s talking to it through
 * {@link InProcessHttpClient}. {@link #restart()} closes the service and opens it again on the same
 * engine and records (for the real engine: closes the volume store too and reopens its directory).
 *
 * <p>Two engines: the real {@link VolumeStore} on the temporary directory, and the in-memory one,
 * which can hold copies at a gate (the tests that observe a copy in progress use it).
 */
final class Ec2Fixture implements AutoCloseable {
    enum Engine { REAL, IN_MEMORY }

    /** The engine the end-to-end tests run on. */
    static final Engine DEFAULT_ENGINE = Engine.REAL;

    static final String REGION = "us-east-1";
    static final String ROOT_ACCESS_KEY = "AKIACOFFERROOT000001";
    static final String ROOT_SECRET = "rootSecretKeyForTestsOnly/0123456789abcd";

    final IdentityStore identities;
    /** The in-memory engine (copy gate), or null when the fixture runs on the real one. */
    final InMemoryVolumeEngine engine;
    private final Path volumeDirectory;
    private VolumeStore store;
    final RecordingExportTable exports = new RecordingExportTable();
    final InMemoryVolumeKeyService kms;
    final ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(16));
    volatile Ec2Service service;

    Ec2Fixture(Path directory) {
        this(directory, Engine.IN_MEMORY);
    }

    Ec2Fixture(Path directory, Engine kind) {
        engine = kind == Engine.IN_MEMORY ? new InMemoryVolumeEngine() : null;
        volumeDirectory = directory.resolve("volumes");
        identities = IdentityStore.open(directory.resolve("identities"),
                new AesGcmSecretSealer(SecretBytes.copyOf(new byte[32]), new SecureRandom()), new SecureRandom(), Clock.systemUTC());
        identities.setRootAccessKey(ROOT_ACCESS_KEY, SecretBytes.copyOf(ROOT_SECRET.getBytes(StandardCharsets.US_ASCII)));
        kms = new InMemoryVolumeKeyService(REGION, account());
        service = open();
    }

    private Ec2Service open() {
        Ec2Service opened;
        if (engine != null) {
            opened = Ec2Service.open(engine, kms, exports, identities, Ec2Config.defaults(REGION), Clock.systemUTC(), executor);
        } else {
            try {
                store = VolumeStore.open(volumeDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            opened = Ec2Service.open(store, kms, exports, identities, Ec2Config.defaults(REGION), Clock.systemUTC(), executor);
        }
        opened.recover();
        return opened;
    }

    void restart() {
        service.close();
        if (store != null) {
            store.close();
        }
        service = open();
    }

    /** Whether the engine has this volume or snapshot. */
    boolean stored(String id) {
        if (engine != null) {
            return engine.exists(id);
        }
        try {
            store.sizeBytes(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether a volume is open in the engine, where the engine can tell (the in-memory one). */
    Optional<Boolean> isOpen(String volumeId) {
        return engine == null ? Optional.empty() : Optional.of(engine.isOpen(volumeId));
    }

    String account() {
        return identities.account().value();
    }

    Ec2Client root() {
        return client(ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    /** A client for a new IAM user with this inline policy. */
    Ec2Client user(String userName, String policy) {
        identities.createUser(userName, "/");
        if (policy != null) {
            identities.putUserPolicy(userName, "p", policy);
        }
        NewAccessKey key = identities.createAccessKey(userName);
        return client(key.key().accessKeyId(),
                new String(key.secretAccessKey().unsafeView(SecretAccess.explicitly()), StandardCharsets.US_ASCII));
    }

    Ec2Client client(String accessKey, String secret) {
        return Ec2Client.builder()
                .endpointOverride(URI.create("http://localhost:9000"))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClient(new InProcessHttpClient(() -> service))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        service.close();
        executor.shutdownNow();
        if (store != null) {
            store.close();
        }
        identities.close();
    }
}

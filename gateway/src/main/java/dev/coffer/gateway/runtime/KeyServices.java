package dev.coffer.gateway.runtime;

import dev.coffer.auth.iam.IamConfig;
import dev.coffer.auth.iam.IamService;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.service.ProtocolService;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.HsmConfig;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.kms.CloudTrailAuditor;
import dev.coffer.kms.HsmAuditSigner;
import dev.coffer.kms.KmsAuthorizer;
import dev.coffer.kms.KmsConfig;
import dev.coffer.kms.KmsService;
import dev.coffer.kms.audit.AuditTrail;
import dev.coffer.kms.core.KmsKeyStore;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.HsmException;
import dev.coffer.kms.hsm.Pkcs11Hsm;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key and identity services of one gateway: the HSM, the identity store with its root
 * credentials, the IAM API, and (when {@code --services} has kms) the embedded KMS with its audit
 * trail and key maintenance. Every resource opened is pushed on {@code started} to be closed in
 * reverse order.
 */
public final class KeyServices {
    private static final Logger LOG = LoggerFactory.getLogger(KeyServices.class);
    static final Duration MAINTENANCE_INTERVAL = Duration.ofMinutes(1);

    final List<ProtocolService> protocols = new ArrayList<>();
    private final Hsm hsm;
    private final RootCredentials.Outcome root;
    /** The account's identities, which the S3 front end authenticates and authorizes against. */
    final IdentityStore identities;

    private KeyServices(Hsm hsm, RootCredentials.Outcome root, IdentityStore identities) {
        this.hsm = hsm;
        this.root = root;
        this.identities = identities;
    }

    /** The root credentials as start-up found or made them. */
    public RootCredentials.Outcome root() {
        return root;
    }

    /** What the HSM is (never a PIN). */
    public String hsmDescription() {
        return hsm.description();
    }

    /** Whether master keys live in the development software HSM, which start-up warns about loudly. */
    public boolean developmentHsm() {
        return hsm instanceof SoftwareHsm;
    }

    static KeyServices start(ServeConfig config, Map<String, String> environment, Deque<AutoCloseable> started)
            throws StartupException {
        Path dataDir = config.dataDir();
        SecureRandom random = new SecureRandom();
        Hsm hsm = openHsm(config.hsm(), dataDir.resolve("hsm"));
        started.push(hsm);
        IdentityStore identities;
        try {
            identities = IdentityStore.open(dataDir.resolve("iam"), new HsmSecretSealer(hsm, random), random, Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the identity store in " + dataDir.resolve("iam") + ": " + e.getMessage(), e);
        }
        started.push(identities);
        KeyServices services = new KeyServices(hsm, RootCredentials.bootstrap(identities, environment, dataDir), identities);
        services.protocols.add(new IamService(identities, IamConfig.defaults(config.region()), Clock.systemUTC()));

        if (config.services().contains(CofferService.KMS)) {
            KmsKeyStore keys;
            AuditTrail trail;
            try {
                keys = KmsKeyStore.open(dataDir.resolve("kms"));
                started.push(keys);
                trail = AuditTrail.open(dataDir.resolve("audit").resolve("kms"), new HsmAuditSigner(hsm, HsmAuditSigner.DEFAULT_LABEL));
                started.push(trail);
            } catch (RuntimeException e) {
                throw new StartupException("cannot open the KMS stores in " + dataDir + ": " + e.getMessage(), e);
            }
            Clock clock = Clock.systemUTC();
            KmsConfig defaults = KmsConfig.defaults(config.region());
            KmsConfig kmsConfig = new KmsConfig(config.region(), config.kmsMaxKeys(), defaults.maxRequestBodyBytes(),
                    defaults.requestsPerSecond(), defaults.requestTimeout());
            KmsService kms = new KmsService(kmsConfig, identities.account().value(), keys, hsm,
                    new KmsAuthorizer(identities::identityPolicies, keys), clock, clock, random, identities,
                    new CloudTrailAuditor(trail, config.region(), identities.account().value(), clock));
            services.protocols.add(kms);
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("coffer-kms-maintenance").daemon(true).factory());
            maintenance.scheduleWithFixedDelay(() -> {
                try {
                    kms.maintenance().run();
                } catch (RuntimeException e) {
                    LOG.error("KMS key maintenance failed", e);
                }
            }, 0, MAINTENANCE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
            started.push(() -> {
                maintenance.shutdownNow();
                maintenance.awaitTermination(5, TimeUnit.SECONDS);
            });
        }
        return services;
    }

    private static Hsm openHsm(HsmConfig config, Path softwareDir) throws StartupException {
        try {
            return switch (config) {
                case HsmConfig.Software s -> SoftwareHsm.open(softwareDir);
                case HsmConfig.Pkcs11 p -> Pkcs11Hsm.open(p.library(), p.tokenLabel(), p.pinFile());
            };
        } catch (HsmException | RuntimeException e) {
            throw new StartupException("cannot open the HSM (" + ServeSetting.HSM.option() + " " + config.kind() + "): "
                    + e.getMessage(), e);
        }
    }
}

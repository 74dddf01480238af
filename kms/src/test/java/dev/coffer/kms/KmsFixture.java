package dev.coffer.kms;

import dev.coffer.auth.identity.AesGcmSecretSealer;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.kms.audit.AuditTrail;
import dev.coffer.kms.audit.JcaAuditSigner;
import dev.coffer.kms.core.KmsKeyStore;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A whole KMS in this process on a temporary directory: identity store, key store, software HSM,
 * the service, and real AWS SDK KmsClients for the root and for users, over an in-process transport.
 */
final class KmsFixture implements AutoCloseable {
    static final String ROOT_ACCESS_KEY = "AKIACOFFERROOT000001";
    static final String ROOT_SECRET = "root-secret-for-tests-0123456789abcdefgh";

    final Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AuditTrail trail;
    final RecordingAuditor auditor;
    final IdentityStore identities;
    final KmsKeyStore keys;
    final Hsm hsm;
    final KmsService service;
    final KmsClient root;

    /** Opens the HSM a fixture runs on: the software HSM by default, a SoftHSM2 token in the PKCS#11 tests. */
    @FunctionalInterface
    interface HsmOpener {
        Hsm open(Path dir) throws Exception;
    }

    KmsFixture(Path dir) throws Exception {
        this(dir, KmsConfig.defaults("us-east-1"));
    }

    KmsFixture(Path dir, KmsConfig config) throws Exception {
        this(dir, config, d -> SoftwareHsm.open(d.resolve("hsm")));
    }

    KmsFixture(Path dir, KmsConfig config, HsmOpener hsmOpener) throws Exception {
        this.dir = dir;
        SecureRandom random = new SecureRandom();
        identities = IdentityStore.open(dir.resolve("iam"), new AesGcmSecretSealer(SecretBytes.random(32, random), random),
                random, Clock.systemUTC());
        identities.setRootAccessKey(ROOT_ACCESS_KEY, SecretBytes.copyOf(ROOT_SECRET.getBytes(StandardCharsets.US_ASCII)));
        keys = KmsKeyStore.open(dir.resolve("kms"));
        hsm = hsmOpener.open(dir);
        trail = AuditTrail.open(dir.resolve("audit"), JcaAuditSigner.generateP256("test-audit-key"), clock);
        auditor = new RecordingAuditor(new CloudTrailAuditor(trail, config.region(), identities.account().value(), clock));
        KmsAuthorizer authorizer = new KmsAuthorizer(identities::identityPolicies, keys);
        service = new KmsService(config, identities.account().value(), keys, hsm, authorizer, clock, Clock.systemUTC(),
                random, identities, auditor);
        root = client(ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    String account() {
        return identities.account().value();
    }

    /** A new IAM user with an inline policy (null for none) and a client signed with its key. */
    KmsClient user(String name, String policyJson) {
        return userKey(name, policyJson).client();
    }

    record UserKey(String accessKeyId, KmsClient client) {}

    /** A new IAM user, its access key id and a client signed with its key. */
    UserKey userKey(String name, String policyJson) {
        identities.createUser(name, null);
        if (policyJson != null) {
            identities.putUserPolicy(name, "inline", policyJson);
        }
        NewAccessKey key = identities.createAccessKey(name);
        return new UserKey(key.key().accessKeyId(), client(key.key().accessKeyId(),
                new String(key.secretAccessKey().toByteArray(SecretAccess.explicitly()), StandardCharsets.US_ASCII)));
    }

    /**
     * A client for one of Coffer's own services (in-memory credential) that, when {@code requesterAccessKey}
     * is not null, calls on behalf of that requester, as the S3 front end will.
     */
    KmsClient serviceClient(String serviceName, String requesterAccessKey) {
        NewAccessKey key = identities.issueServiceCredential(serviceName);
        return KmsClient.builder().httpClient(new InProcessHttpClient(service))
                .endpointOverride(URI.create("http://127.0.0.1:9000")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.key().accessKeyId(),
                        new String(key.secretAccessKey().toByteArray(SecretAccess.explicitly()), StandardCharsets.US_ASCII))))
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    if (requesterAccessKey != null) {
                        o.putHeader(KmsService.VIA_SERVICE_HEADER, serviceName).putHeader(KmsService.REQUESTER_HEADER, requesterAccessKey);
                    }
                })
                .build();
    }

    String userArn(String name) {
        return "arn:aws:iam::" + account() + ":user/" + name;
    }

    KmsClient client(String accessKeyId, String secret) {
        return KmsClient.builder().httpClient(new InProcessHttpClient(service))
                .endpointOverride(URI.create("http://127.0.0.1:9000")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() {
        root.close();
        trail.close();
        hsm.close();
        keys.close();
        identities.close();
    }
}

package dev.coffer.gateway.kmsclient;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.auth.identity.Principal;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.kms.KmsService;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The AWS SDK's {@link KmsClient} as one of Coffer's own services (the S3 front end, the EC2 volume
 * service) uses it: signed with the service's credential ({@link IdentityStore#issueServiceCredential},
 * held only in memory), aimed at {@code --kms-endpoint} or the embedded KMS on the edge port, with
 * the on-behalf-of headers ({@link KmsService#VIA_SERVICE_HEADER}, {@link KmsService#REQUESTER_HEADER})
 * when the service calls for a requester, and KMS errors translated into the calling port's exception.
 * The ports' adapters ({@code KmsClientKeyService}, {@code KmsClientVolumeKeyService}) are built on
 * it, so both reach the KMS the same way (docs/KMS.md).
 *
 * <p>Retries: only throttling is retried (up to {@value #MAX_ATTEMPTS} attempts, jittered
 * exponential backoff). A throttled call was refused before any key was used, so a retry cannot
 * make the audit trail show one key use twice; a timed-out or failed connection might have been
 * served and audited, so it is reported, not repeated. Timeouts are short because the KMS is local
 * or near, and a client request is waiting.
 *
 * <p>Key material: plaintext from the SDK goes straight into {@link SecretBytes} ({@link #secret}),
 * and the SDK's copy is zeroed; nothing here logs or prints a key or the service's secret (the SDK
 * redacts {@code Plaintext} in its {@code toString}, and logback.xml keeps the HTTP wire log off).
 * Thread-safe.
 */
public final class ServiceKmsClient implements AutoCloseable {
    public static final int MAX_ATTEMPTS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Client requests run on virtual threads, any number of them; the embedded KMS answers on the
     * edge's 32 worker threads, so a pool twice that keeps every worker busy without opening and
     * closing connections, and a burst beyond it waits for a connection (up to the acquisition timeout).
     */
    static final int MAX_CONNECTIONS = 64;

    /** How a port names a failed KMS call: its exception's (error type, message, cause) constructor. */
    @FunctionalInterface
    public interface Failure<E extends RuntimeException> {
        E of(String errorType, String message, Throwable cause);
    }

    private final KmsClient kms;
    private final Principal.Service service;

    /** For tests: a client already built (e.g. with {@link #client}). */
    public ServiceKmsClient(KmsClient kms, Principal.Service service) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * The KMS client of a starting gateway for {@code serviceName} ({@code s3}, {@code ec2}): over
     * {@code --kms-endpoint} when set, else over the embedded KMS on the edge port when the kms
     * service runs; empty when neither (the caller then refuses key requests as unavailable). The
     * caller closes it at shutdown.
     *
     * @param boundEdgeAddress the edge HTTP port's bound address, empty until it is bound (it binds
     *     after the services calling the KMS are built, so it is read at the first KMS call)
     */
    public static Optional<ServiceKmsClient> start(ServeConfig config, IdentityStore identities, String serviceName,
                                                   Supplier<Optional<InetSocketAddress>> boundEdgeAddress) {
        KmsEndpointResolver endpoint;
        if (config.kmsEndpoint().isPresent()) {
            endpoint = KmsEndpointResolver.fixed(config.kmsEndpoint().get());
        } else if (config.services().contains(CofferService.KMS)) {
            endpoint = KmsEndpointResolver.edge(boundEdgeAddress);
        } else {
            return Optional.empty();
        }
        NewAccessKey credential = identities.issueServiceCredential(serviceName);
        return Optional.of(new ServiceKmsClient(client(endpoint, Region.of(config.region()), credentials(credential)),
                new Principal.Service(identities.account(), serviceName)));
    }

    private static AwsCredentialsProvider credentials(NewAccessKey key) {
        // The SDK wants the secret as a String; the SecretBytes stays with the identity store, which verifies with it.
        String secret = new String(key.secretAccessKey().toByteArray(SecretAccess.explicitly()), StandardCharsets.US_ASCII);
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.key().accessKeyId(), secret));
    }

    static KmsClient client(KmsEndpointResolver endpoint, Region region, AwsCredentialsProvider credentials) {
        return KmsClient.builder()
                .region(region)
                .endpointProvider(endpoint)
                .credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .connectionAcquisitionTimeout(CONNECT_TIMEOUT)
                        .maxConnections(MAX_CONNECTIONS)
                        .build())
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(StandardRetryStrategy.builder()
                                .useClientDefaults(false)
                                .maxAttempts(MAX_ATTEMPTS)
                                .retryOnException(ServiceKmsClient::isThrottling)
                                .treatAsThrottling(ServiceKmsClient::isThrottling)
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(1)))
                                .circuitBreakerEnabled(false)
                                .build()))
                .build();
    }

    /** The service this client signs as (its principal is {@code <name>.amazonaws.com}). */
    public Principal.Service service() {
        return service;
    }

    /**
     * Makes a KMS call; a failure becomes the port's exception: a KMS error keeps its {@code __type}
     * (namespace stripped) and message, anything else (no connection, a timeout, an answer that is
     * not a KMS error) is {@code unavailableType}.
     */
    public <T, E extends RuntimeException> T call(Function<KmsClient, T> kmsCall, String unavailableType, Failure<E> failure) {
        try {
            return kmsCall.apply(kms);
        } catch (SdkException e) {
            throw translate(e, unavailableType, failure);
        }
    }

    /** The request override of a call made for {@code requesterAccessKeyId}: the signed on-behalf-of headers. */
    public Consumer<AwsRequestOverrideConfiguration.Builder> onBehalfOf(String requesterAccessKeyId) {
        Objects.requireNonNull(requesterAccessKeyId, "requesterAccessKeyId");
        return request -> request
                .putHeader(KmsService.VIA_SERVICE_HEADER, service.serviceName())
                .putHeader(KmsService.REQUESTER_HEADER, requesterAccessKeyId);
    }

    static <E extends RuntimeException> E translate(SdkException e, String unavailableType, Failure<E> failure) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String type = errorType(service.awsErrorDetails().errorCode());
            if (type != null) {
                return failure.of(type, service.awsErrorDetails().errorMessage(), e);
            }
        }
        String what = e instanceof AwsServiceException ? "the KMS answered with something that is not a KMS error: "
                : "the KMS could not be reached: ";
        return failure.of(unavailableType, what + e.getMessage(), e);
    }

    /** {@code NotFoundException} from {@code com.amazonaws.kms#NotFoundException} or {@code NotFoundException:http://...}. */
    static String errorType(String errorCode) {
        if (errorCode == null) {
            return null;
        }
        String type = errorCode.substring(errorCode.lastIndexOf('#') + 1);
        int colon = type.indexOf(':');
        if (colon >= 0) {
            type = type.substring(0, colon);
        }
        return type.isBlank() ? null : type;
    }

    private static boolean isThrottling(Throwable t) {
        return t instanceof SdkServiceException e && e.isThrottlingException();
    }

    /** The SDK's plaintext moved into SecretBytes, its own array zeroed. */
    public static SecretBytes secret(SdkBytes plaintext) {
        byte[] raw = plaintext.asByteArrayUnsafe();
        try {
            return SecretBytes.copyOf(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "ServiceKmsClient[" + service.serviceName() + "]";
    }
}

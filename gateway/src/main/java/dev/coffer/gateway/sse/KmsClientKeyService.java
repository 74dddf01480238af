package dev.coffer.gateway.sse;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.CofferService;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.kms.KmsService;
import dev.coffer.s3.sse.GeneratedDataKey;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * The S3 front end's {@link KeyService} over the AWS SDK's {@link KmsClient}, so the gateway reaches
 * its KMS exactly as it would reach AWS KMS (DESIGN.md: every integration test is also a
 * KMS-compatibility test).
 *
 * <p>It signs with the S3 service's credential ({@link IdentityStore#issueServiceCredential}, held
 * only in memory). For {@link KmsRequester.OnBehalfOf} it adds the signed headers
 * {@link KmsService#VIA_SERVICE_HEADER} and {@link KmsService#REQUESTER_HEADER}, with which a Coffer
 * KMS evaluates and audits the requester (with {@code kms:ViaService} set) instead of the service;
 * for {@link KmsRequester.S3Service} it calls as the service itself, which only the SSE-S3 service
 * key's policy allows. Those headers mean something only to a Coffer KMS (AWS KMS ignores them and
 * authorizes the signer), and the service credential exists only in this process: a KMS at
 * {@code --kms-endpoint} does not know it yet (docs/KMS.md, the open question on remote KMSs).
 *
 * <p>Retries: only throttling is retried (up to {@value #MAX_ATTEMPTS} attempts, jittered
 * exponential backoff). A throttled call was refused before any key was used, so a retry cannot
 * make the audit trail show one key use twice; a timed-out or failed connection might have been
 * served and audited, so it is reported, not repeated. Timeouts are short because the KMS is local
 * or near, and an S3 request is waiting.
 *
 * <p>Key material: plaintext keys go from the SDK's response straight into {@link SecretBytes}, and
 * the SDK's copy is zeroed; nothing here logs or prints a key (the SDK redacts {@code Plaintext} in
 * its {@code toString}, and logback.xml keeps the HTTP wire log off). Thread-safe.
 */
public final class KmsClientKeyService implements KeyService, AutoCloseable {
    /** The service name the credential and the on-behalf-of header carry ({@code s3.amazonaws.com}). */
    static final String SERVICE_NAME = "s3";
    static final int DATA_KEY_BYTES = 32;
    static final int MAX_ATTEMPTS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * S3 requests run on virtual threads, any number of them; the embedded KMS answers on the edge's
     * 32 worker threads, so a pool twice that keeps every worker busy without opening and closing
     * connections, and a burst beyond it waits for a connection (up to the acquisition timeout).
     */
    static final int MAX_CONNECTIONS = 64;

    private final KmsClient kms;

    KmsClientKeyService(KmsClient kms) {
        this.kms = kms;
    }

    /**
     * The key service of a starting gateway: over {@code --kms-endpoint} when set, else over the
     * embedded KMS on the edge port when the kms service runs, else one that refuses every call as
     * unavailable. The client is pushed on {@code started} to be closed at shutdown.
     *
     * @param boundEdgeAddress the edge HTTP port's bound address, empty until it is bound (it binds
     *     after the S3 front end is built, so it is read at the first KMS call)
     */
    public static KeyService start(ServeConfig config, IdentityStore identities,
                                   Supplier<Optional<InetSocketAddress>> boundEdgeAddress, Deque<AutoCloseable> started) {
        KmsEndpointResolver endpoint;
        if (config.kmsEndpoint().isPresent()) {
            endpoint = KmsEndpointResolver.fixed(config.kmsEndpoint().get());
        } else if (config.services().contains(CofferService.KMS)) {
            endpoint = KmsEndpointResolver.edge(boundEdgeAddress);
        } else {
            return new UnavailableKeyService("no KMS is configured: add kms to --services or set --kms-endpoint "
                    + "to use SSE-S3 or SSE-KMS");
        }
        KmsClientKeyService keys = new KmsClientKeyService(client(endpoint, Region.of(config.region()),
                serviceCredentials(identities.issueServiceCredential(SERVICE_NAME))));
        started.push(keys);
        return keys;
    }

    private static AwsCredentialsProvider serviceCredentials(NewAccessKey key) {
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
                                .retryOnException(KmsClientKeyService::isThrottling)
                                .treatAsThrottling(KmsClientKeyService::isThrottling)
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(1)))
                                .circuitBreakerEnabled(false)
                                .build()))
                .build();
    }

    @Override
    public GeneratedDataKey generateDataKey(KmsRequester requester, String keyId, Map<String, String> encryptionContext) {
        GenerateDataKeyResponse response = call(() -> kms.generateDataKey(r -> r
                .keyId(keyId)
                .keySpec(DataKeySpec.AES_256)
                .encryptionContext(encryptionContext)
                .overrideConfiguration(o -> as(requester, o))));
        SecretBytes plaintext = secret(response.plaintext());
        if (plaintext.size() != DATA_KEY_BYTES) {
            plaintext.destroy();
            throw new KeyServiceException(KeyServiceException.UNAVAILABLE,
                    "the KMS returned a " + plaintext.size() + "-byte data key for an AES_256 request");
        }
        return new GeneratedDataKey(response.keyId(), plaintext, response.ciphertextBlob().asByteArrayUnsafe());
    }

    @Override
    public SecretBytes decrypt(KmsRequester requester, String keyArn, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        return secret(call(() -> kms.decrypt(r -> r
                .keyId(keyArn)
                .ciphertextBlob(SdkBytes.fromByteArray(ciphertextBlob))
                .encryptionContext(encryptionContext)
                .overrideConfiguration(o -> as(requester, o)))).plaintext());
    }

    /** Whose call this is: the service itself (no headers), or the requester it serves. */
    private static void as(KmsRequester requester, AwsRequestOverrideConfiguration.Builder request) {
        switch (requester) {
            case KmsRequester.S3Service s -> { }
            case KmsRequester.OnBehalfOf r -> request
                    .putHeader(KmsService.VIA_SERVICE_HEADER, SERVICE_NAME)
                    .putHeader(KmsService.REQUESTER_HEADER, r.accessKeyId());
        }
    }

    private static <T> T call(Supplier<T> kmsCall) {
        try {
            return kmsCall.get();
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    /**
     * A KMS error keeps its {@code __type} (namespace stripped) and message; anything else (no
     * connection, a timeout, an answer that is not a KMS error) is {@link KeyServiceException#UNAVAILABLE}.
     */
    static KeyServiceException translate(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String type = errorType(service.awsErrorDetails().errorCode());
            if (type != null) {
                return new KeyServiceException(type, service.awsErrorDetails().errorMessage(), e);
            }
        }
        String what = e instanceof AwsServiceException ? "the KMS answered with something that is not a KMS error: "
                : "the KMS could not be reached: ";
        return new KeyServiceException(KeyServiceException.UNAVAILABLE, what + e.getMessage(), e);
    }

    private static boolean isThrottling(Throwable t) {
        return t instanceof SdkServiceException e && e.isThrottlingException();
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

    /** The SDK's plaintext moved into SecretBytes, its own array zeroed. */
    private static SecretBytes secret(SdkBytes plaintext) {
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
        return "KmsClientKeyService";
    }
}

package dev.coffer.gateway.sse;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.kmsclient.ServiceKmsClient;
import dev.coffer.kms.KmsService;
import dev.coffer.s3.sse.GeneratedDataKey;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * The S3 front end's {@link KeyService} over the AWS SDK's {@link KmsClient}, so the gateway reaches
 * its KMS exactly as it would reach AWS KMS (DESIGN.md: every integration test is also a
 * KMS-compatibility test). The client, its credential, retries and error translation are
 * {@link ServiceKmsClient}'s, shared with the volume service.
 *
 * <p>It signs with the S3 service's credential. For {@link KmsRequester.OnBehalfOf} it adds the
 * signed headers {@link KmsService#VIA_SERVICE_HEADER} and {@link KmsService#REQUESTER_HEADER}, with
 * which a Coffer KMS evaluates and audits the requester (with {@code kms:ViaService} set) instead of
 * the service; for {@link KmsRequester.S3Service} it calls as the service itself, which only the
 * SSE-S3 service key's policy allows. Those headers mean something only to a Coffer KMS (AWS KMS
 * ignores them and authorizes the signer), and the service credential exists only in this process:
 * a KMS at {@code --kms-endpoint} does not know it yet (docs/KMS.md, the open question on remote KMSs).
 * Thread-safe.
 */
public final class KmsClientKeyService implements KeyService, AutoCloseable {
    /** The service name the credential and the on-behalf-of header carry ({@code s3.amazonaws.com}). */
    static final String SERVICE_NAME = "s3";
    static final int DATA_KEY_BYTES = 32;

    private final ServiceKmsClient kms;

    KmsClientKeyService(ServiceKmsClient kms) {
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
        Optional<ServiceKmsClient> client = ServiceKmsClient.start(config, identities, SERVICE_NAME, boundEdgeAddress);
        if (client.isEmpty()) {
            return new UnavailableKeyService("no KMS is configured: add kms to --services or set --kms-endpoint "
                    + "to use SSE-S3 or SSE-KMS");
        }
        KmsClientKeyService keys = new KmsClientKeyService(client.get());
        started.push(keys);
        return keys;
    }

    @Override
    public GeneratedDataKey generateDataKey(KmsRequester requester, String keyId, Map<String, String> encryptionContext) {
        GenerateDataKeyResponse response = call(client -> client.generateDataKey(r -> r
                .keyId(keyId)
                .keySpec(DataKeySpec.AES_256)
                .encryptionContext(encryptionContext)
                .overrideConfiguration(as(requester))));
        SecretBytes plaintext = ServiceKmsClient.secret(response.plaintext());
        if (plaintext.size() != DATA_KEY_BYTES) {
            plaintext.destroy();
            throw new KeyServiceException(KeyServiceException.UNAVAILABLE,
                    "the KMS returned a " + plaintext.size() + "-byte data key for an AES_256 request");
        }
        return new GeneratedDataKey(response.keyId(), plaintext, response.ciphertextBlob().asByteArrayUnsafe());
    }

    @Override
    public SecretBytes decrypt(KmsRequester requester, String keyArn, byte[] ciphertextBlob, Map<String, String> encryptionContext) {
        return ServiceKmsClient.secret(call(client -> client.decrypt(r -> r
                .keyId(keyArn)
                .ciphertextBlob(SdkBytes.fromByteArray(ciphertextBlob))
                .encryptionContext(encryptionContext)
                .overrideConfiguration(as(requester)))).plaintext());
    }

    /** Whose call this is: the service itself (no headers), or the requester it serves. */
    private Consumer<AwsRequestOverrideConfiguration.Builder> as(KmsRequester requester) {
        return switch (requester) {
            case KmsRequester.S3Service s -> request -> { };
            case KmsRequester.OnBehalfOf r -> kms.onBehalfOf(r.accessKeyId());
        };
    }

    private <T> T call(Function<KmsClient, T> kmsCall) {
        return kms.call(kmsCall, KeyServiceException.UNAVAILABLE, KeyServiceException::new);
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

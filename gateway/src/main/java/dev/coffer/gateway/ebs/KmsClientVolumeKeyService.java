package dev.coffer.gateway.ebs;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.kmsclient.ServiceKmsClient;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The block store's {@link VolumeKeyService} over the AWS SDK's {@link KmsClient}, making the KMS
 * calls EBS makes (docs/KMS.md, "Volumes and the KMS"); the client, credential, retries and error
 * translation are {@link ServiceKmsClient}'s, shared with S3 server-side encryption.
 *
 * <p>Two callers, as in AWS: the <b>requester</b> (DescribeKey, GenerateDataKeyWithoutPlaintext,
 * CreateGrant are signed by the {@code ec2} service credential with the on-behalf-of headers, so the
 * KMS evaluates the requester with {@code kms:ViaService = ec2.<region>.amazonaws.com} and audits it
 * with {@code invokedBy: ec2.amazonaws.com}), and the <b>EC2 service itself</b> (Decrypt and
 * RetireGrant without those headers, authorized only by the grant the requester made). The grantee
 * and retiring principal is the {@code ec2} service principal's ARN, the Coffer counterpart of EBS's
 * {@code <account>:aws:ec2-infrastructure:<instance>}; the grant allows Decrypt and RetireGrant, for
 * requests whose context contains the volume's {@code aws:ebs:id} ({@code EncryptionContextSubset}),
 * so it cannot open another volume's data key.
 *
 * <p>Key material: the plaintext data key goes from the SDK's response into {@link SecretBytes} and
 * the SDK's copy is zeroed; nothing here logs a key. Thread-safe.
 */
public final class KmsClientVolumeKeyService implements VolumeKeyService, AutoCloseable {
    /** The service name of the credential and the on-behalf-of header ({@code ec2.amazonaws.com}). */
    public static final String SERVICE_NAME = "ec2";
    static final int DATA_KEY_BYTES = 32;
    /** The EC2 service decrypts the data key at attach, and retires the grant at detach. */
    static final List<GrantOperation> GRANT_OPERATIONS = List.of(GrantOperation.DECRYPT, GrantOperation.RETIRE_GRANT);

    private final ServiceKmsClient kms;
    /** Grantee and retiring principal of every grant: the service this client signs as. */
    private final String servicePrincipal;

    KmsClientVolumeKeyService(ServiceKmsClient kms) {
        this.kms = kms;
        this.servicePrincipal = kms.service().arn();
    }

    /**
     * The volume key service of a starting gateway: over {@code --kms-endpoint} when set, else over
     * the embedded KMS on the edge port when the kms service runs, else one that refuses every call
     * as {@link VolumeKeyException#UNAVAILABLE}. The client is pushed on {@code started} to be closed
     * at shutdown.
     *
     * @param boundEdgeAddress the edge HTTP port's bound address, empty until it is bound (read at
     *     the first KMS call)
     */
    public static VolumeKeyService start(ServeConfig config, IdentityStore identities,
                                         Supplier<Optional<InetSocketAddress>> boundEdgeAddress, Deque<AutoCloseable> started) {
        Optional<ServiceKmsClient> client = ServiceKmsClient.start(config, identities, SERVICE_NAME, boundEdgeAddress);
        if (client.isEmpty()) {
            return new UnavailableVolumeKeyService("no KMS is configured: add kms to --services or set --kms-endpoint "
                    + "to use encrypted volumes");
        }
        KmsClientVolumeKeyService keys = new KmsClientVolumeKeyService(client.get());
        started.push(keys);
        return keys;
    }

    @Override
    public String resolveKey(String requester, String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        KeyMetadata key = call(c -> c.describeKey(r -> r.keyId(keyId)
                .overrideConfiguration(kms.onBehalfOf(requester)))).keyMetadata();
        requireSymmetricEncryptionKey(key);
        requireEnabled(key);
        return key.arn();
    }

    /** EBS encrypts with symmetric keys only; AWS's EC2 refuses others before it asks for a data key. */
    static void requireSymmetricEncryptionKey(KeyMetadata key) {
        if (key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT || key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
            throw new VolumeKeyException("InvalidKeyUsageException", key.arn() + " is not a symmetric encryption key (KeyUsage "
                    + key.keyUsageAsString() + ", KeySpec " + key.keySpecAsString() + "); volumes need one.");
        }
    }

    /** The KMS's own errors for a key that cannot make data keys (AWS's key state table). */
    static void requireEnabled(KeyMetadata key) {
        switch (key.keyState()) {
            case ENABLED -> { }
            case DISABLED -> throw new VolumeKeyException("DisabledException", key.arn() + " is disabled.");
            case PENDING_DELETION -> throw new VolumeKeyException("KMSInvalidStateException", key.arn() + " is pending deletion.");
            case PENDING_IMPORT -> throw new VolumeKeyException("KMSInvalidStateException", key.arn() + " is pending import.");
            case null, default -> throw new VolumeKeyException("KMSInvalidStateException",
                    key.arn() + " is in state " + key.keyStateAsString() + ".");
        }
    }

    @Override
    public byte[] generateDataKeyWithoutPlaintext(String requester, String keyArn, Map<String, String> encryptionContext) {
        return call(c -> c.generateDataKeyWithoutPlaintext(r -> r
                .keyId(keyArn)
                .keySpec(DataKeySpec.AES_256)
                .encryptionContext(requireContext(encryptionContext))
                .overrideConfiguration(kms.onBehalfOf(requester)))).ciphertextBlob().asByteArray();
    }

    @Override
    public UnsealedKey unseal(String requester, String keyArn, byte[] encryptedDataKey, Map<String, String> encryptionContext) {
        Map<String, String> context = requireContext(encryptionContext);
        CreateGrantResponse grant = call(c -> c.createGrant(r -> r
                .keyId(keyArn)
                .granteePrincipal(servicePrincipal)
                .retiringPrincipal(servicePrincipal)
                .operations(GRANT_OPERATIONS)
                .constraints(k -> k.encryptionContextSubset(context))
                .overrideConfiguration(kms.onBehalfOf(requester))));
        try {
            return new UnsealedKey(decryptAsService(keyArn, encryptedDataKey, context, List.of(grant.grantToken())), grant.grantId());
        } catch (VolumeKeyException e) {
            // A grant for a key that never got unsealed is of no use to anyone: do not leave it behind.
            try {
                retireGrant(keyArn, grant.grantId());
            } catch (VolumeKeyException retireFailed) {
                e.addSuppressed(retireFailed);
            }
            throw e;
        }
    }

    @Override
    public SecretBytes decryptUnderGrant(String keyArn, String grantId, byte[] encryptedDataKey, Map<String, String> encryptionContext) {
        Objects.requireNonNull(grantId, "grantId");
        // No grant token: it is not kept (it would be a bearer credential on disk), and Coffer's
        // grants are effective at once. The KMS finds the grant by grantee and context.
        return decryptAsService(keyArn, encryptedDataKey, requireContext(encryptionContext), List.of());
    }

    private SecretBytes decryptAsService(String keyArn, byte[] encryptedDataKey, Map<String, String> context, List<String> grantTokens) {
        SecretBytes plaintext = ServiceKmsClient.secret(call(c -> c.decrypt(r -> r
                .keyId(keyArn)
                .ciphertextBlob(SdkBytes.fromByteArray(encryptedDataKey))
                .encryptionContext(context)
                .grantTokens(grantTokens))).plaintext());
        if (plaintext.size() != DATA_KEY_BYTES) {
            int size = plaintext.size();
            plaintext.destroy();
            throw new VolumeKeyException(VolumeKeyException.UNAVAILABLE,
                    "the KMS returned a " + size + "-byte data key where a volume key is " + DATA_KEY_BYTES + " bytes");
        }
        return plaintext;
    }

    @Override
    public void retireGrant(String keyArn, String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        try {
            call(c -> c.retireGrant(r -> r.keyId(keyArn).grantId(grantId)));
        } catch (VolumeKeyException e) {
            // Already retired (or revoked, or its key deleted with all its grants): nothing left to retire.
            if (!e.errorType().equals("InvalidGrantIdException") && !e.errorType().equals("NotFoundException")) {
                throw e;
            }
        }
    }

    /**
     * A volume's context names it ({@code aws:ebs:id}); an empty one would make the grant's
     * EncryptionContextSubset constraint match every ciphertext under the key.
     */
    private static Map<String, String> requireContext(Map<String, String> encryptionContext) {
        if (encryptionContext == null || encryptionContext.isEmpty()) {
            throw new IllegalArgumentException("a volume's encryption context must name it (aws:ebs:id)");
        }
        return encryptionContext;
    }

    private <T> T call(Function<KmsClient, T> kmsCall) {
        return kms.call(kmsCall, VolumeKeyException.UNAVAILABLE, VolumeKeyException::new);
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "KmsClientVolumeKeyService";
    }
}

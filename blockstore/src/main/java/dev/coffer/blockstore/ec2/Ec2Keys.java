package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.VolumeBlockCipher;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;

/**
 * Volume data keys the way EBS makes and uses them, over {@link VolumeKeyService}: a key named by
 * the request, else the account's default, else {@code alias/aws/ebs}; one data key per lineage,
 * made with GenerateDataKeyWithoutPlaintext under the encryption context {@code {"aws:ebs:id":
 * <binding id>}} (the binding id is the volume id for a new volume, the snapshot id for a
 * CopySnapshot copy, and is shared by snapshots and volumes made from them under the same key);
 * unsealed only at attach or for a copy, through a grant, into a block cipher. Plaintext keys live
 * only inside this class's methods and the ciphers they return, and are destroyed at once.
 */
final class Ec2Keys {
    private static final System.Logger LOG = System.getLogger(Ec2Keys.class.getName());
    static final String EBS_ID = "aws:ebs:id";

    private final VolumeKeyService kms;
    private final String region;
    private final SecureRandom random;

    Ec2Keys(VolumeKeyService kms, String region, SecureRandom random) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.region = region;
        this.random = random;
    }

    /** The ARN form of the AWS-managed EBS key, as GetEbsDefaultKmsKeyId reports it until one is set. */
    String managedKeyAliasArn(String accountId) {
        return "arn:aws:kms:" + region + ":" + accountId + ":" + VolumeKeyService.EBS_MANAGED_KEY;
    }

    /** The key to encrypt a new lineage under: the named one, else the account default, else alias/aws/ebs. */
    String resolve(String requester, String keyIdOrNull, Ec2AccountSettings settings) {
        String keyId = keyIdOrNull != null ? keyIdOrNull
                : settings.defaultKmsKeyArn() != null ? settings.defaultKmsKeyArn() : VolumeKeyService.EBS_MANAGED_KEY;
        try {
            return kms.resolveKey(requester, keyId);
        } catch (VolumeKeyException e) {
            throw translate(e, keyId);
        }
    }

    /** A new encrypted data key for the lineage {@code bindingId}. */
    byte[] newDataKey(String requester, String keyArn, String bindingId) {
        try {
            return kms.generateDataKeyWithoutPlaintext(requester, keyArn, context(bindingId));
        } catch (VolumeKeyException e) {
            throw translate(e, keyArn);
        }
    }

    /** A cipher for a lineage's blocks and the grant it was unsealed under; close both when done. */
    record Unsealed(VolumeBlockCipher cipher, String grantId, String keyArn) {
        BlockCodec codec(String bindingId) {
            return new BlockCodec.Sealed(cipher, bindingId);
        }

        @Override
        public String toString() {
            return "Unsealed[grantId=" + grantId + "]";
        }
    }

    /** Unseals on the requester's behalf, through a new grant (attach, copy). */
    Unsealed unseal(String requester, String keyArn, byte[] encryptedDataKey, String bindingId, int blockSizeBytes) {
        VolumeKeyService.UnsealedKey key;
        try {
            key = kms.unseal(requester, keyArn, encryptedDataKey, context(bindingId));
        } catch (VolumeKeyException e) {
            throw translate(e, keyArn);
        }
        try (SecretBytes dataKey = key.dataKey()) {
            return new Unsealed(new VolumeBlockCipher(dataKey, bindingId, new BlockSealParameters(blockSizeBytes), random),
                    key.grantId(), keyArn);
        } catch (RuntimeException e) {
            retire(keyArn, key.grantId());
            throw e;
        }
    }

    /** Unseals again under a grant made earlier (re-attach after a restart). */
    Unsealed unsealUnderGrant(String keyArn, String grantId, byte[] encryptedDataKey, String bindingId, int blockSizeBytes) {
        try (SecretBytes dataKey = kms.decryptUnderGrant(keyArn, grantId, encryptedDataKey, context(bindingId))) {
            return new Unsealed(new VolumeBlockCipher(dataKey, bindingId, new BlockSealParameters(blockSizeBytes), random),
                    grantId, keyArn);
        } catch (VolumeKeyException e) {
            throw translate(e, keyArn);
        }
    }

    /** Closes the cipher and retires the grant; a grant that cannot be retired now is logged, not fatal. */
    void release(Unsealed unsealed) {
        if (unsealed == null) {
            return;
        }
        unsealed.cipher().close();
        retire(unsealed.keyArn(), unsealed.grantId());
    }

    void retire(String keyArn, String grantId) {
        if (grantId == null) {
            return;
        }
        try {
            kms.retireGrant(keyArn, grantId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not retire grant " + grantId + " on " + keyArn + ": " + e.getMessage());
        }
    }

    static Map<String, String> context(String bindingId) {
        return Map.of(EBS_ID, bindingId);
    }

    /** The EC2 error for a KMS failure (see {@link Ec2Error} for why these codes). */
    static Ec2Exception translate(VolumeKeyException e, String keyId) {
        return switch (e.errorType()) {
            case "NotFoundException", "InvalidArnException" -> new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE,
                    "The KMS key '" + keyId + "' does not exist or is not a usable symmetric key: " + e.getMessage());
            case "DisabledException", "KMSInvalidStateException", "KeyUnavailableException", "IncorrectKeyException",
                 "InvalidKeyUsageException" -> new Ec2Exception(Ec2Error.INVALID_KMS_KEY_STATE,
                    "The KMS key provided is in an incorrect state: " + keyId);
            // Permanent, so not 503 (clients retry those): the stored data key is not this key's for this volume.
            case "InvalidCiphertextException" -> new Ec2Exception(Ec2Error.INVALID_KMS_KEY_STATE,
                    "The volume's encrypted data key cannot be decrypted under the KMS key " + keyId
                            + " for this volume (the KMS answered InvalidCiphertextException).");
            case "AccessDeniedException" -> new Ec2Exception(Ec2Error.UNAUTHORIZED_OPERATION,
                    "You are not authorized to use the KMS key " + keyId + ": " + e.getMessage());
            case "LimitExceededException", "ThrottlingException" -> new Ec2Exception(Ec2Error.REQUEST_LIMIT_EXCEEDED,
                    "Request limit exceeded at the KMS.");
            default -> new Ec2Exception(Ec2Error.UNAVAILABLE,
                    "The KMS could not be used (" + e.errorType() + "). Try again later.");
        };
    }
}

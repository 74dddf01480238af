package dev.coffer.blockstore.keys;

import dev.coffer.crypto.SecretBytes;
import java.util.Map;

/**
 * The KMS as EBS uses it (docs/VOLUMES.md, "Keys"). Every call names the EC2 requester (the access
 * key id that signed the EC2 request) so the KMS evaluates and audits that requester with
 * {@code kms:ViaService ec2.<region>.amazonaws.com}; the plaintext data key is obtained by the EC2
 * service itself, as the grantee of a grant the requester creates, exactly as EBS does at attach.
 * Encryption contexts are {@code {"aws:ebs:id": <volume or snapshot id>}}. Thread-safe; may block.
 *
 * <p>Errors are {@link VolumeKeyException} with the KMS's error type ({@code NotFoundException},
 * {@code DisabledException}, {@code KMSInvalidStateException}, {@code AccessDeniedException}, ...)
 * or {@link VolumeKeyException#UNAVAILABLE}.
 */
public interface VolumeKeyService {
    /** The alias of the AWS-managed key EBS uses when no key is named and no account default is set. */
    String EBS_MANAGED_KEY = "alias/aws/ebs";

    /**
     * DescribeKey on the requester's behalf: the key's ARN, if it exists, is a symmetric
     * ENCRYPT_DECRYPT key and is usable (Enabled). {@code keyId} is a key id, key ARN, alias name or
     * alias ARN; {@link #EBS_MANAGED_KEY} is created on first use.
     */
    String resolveKey(String requester, String keyId);

    /** GenerateDataKeyWithoutPlaintext (AES_256) under {@code keyArn}, on the requester's behalf: the encrypted data key. */
    byte[] generateDataKeyWithoutPlaintext(String requester, String keyArn, Map<String, String> encryptionContext);

    /**
     * Unseals a volume data key as EBS does at attach: the requester creates a grant that lets the
     * EC2 service Decrypt under {@code keyArn} for exactly this encryption context
     * ({@code EncryptionContextSubset}), and the service decrypts with that grant.
     *
     * @return the 32-byte plaintext data key (the caller destroys it) and the grant, which the
     *     caller retires with {@link #retireGrant} when the volume is detached
     */
    UnsealedKey unseal(String requester, String keyArn, byte[] encryptedDataKey, Map<String, String> encryptionContext);

    /**
     * Decrypts again, as the EC2 service, under a grant {@link #unseal} created earlier: how an attached
     * volume is brought back after a restart without its requester (the grant outlives the process,
     * as EBS's grants outlive an instance's reboot).
     */
    SecretBytes decryptUnderGrant(String keyArn, String grantId, byte[] encryptedDataKey, Map<String, String> encryptionContext);

    /** Retires a grant {@link #unseal} created (as the EC2 service, its retiring principal). Idempotent. */
    void retireGrant(String keyArn, String grantId);

    /** A plaintext data key and the grant it was obtained under. */
    record UnsealedKey(SecretBytes dataKey, String grantId) {
        @Override
        public String toString() {
            return "UnsealedKey[grantId=" + grantId + "]";
        }
    }
}

package dev.coffer.crypto.envelope;

import java.util.List;

/**
 * The port through which the S3 and volume paths obtain and unwrap data keys (the AWS Encryption
 * SDK's keyring). Implementations: {@link RawAesKeyring} here (a local wrapping key, for development
 * and tests), and in the gateway a keyring over the AWS SDK v2 {@code KmsClient} (Coffer's KMS or
 * AWS KMS). Cross-cutting concerns (caching, auditing, metrics) are decorators over this interface.
 */
public interface Keyring {
    /**
     * Generates a data key when the materials have none (and wraps it), or wraps the existing one.
     * Returns new materials; the given ones are unchanged.
     */
    EncryptionMaterials onEncrypt(EncryptionMaterials materials) throws KeyringException;

    /**
     * Unwraps the first of {@code encryptedDataKeys} this keyring can, under the materials'
     * encryption context. Keys of unknown providers are skipped; if none can be unwrapped the call
     * fails ({@link KeyringException.Reason#NO_DECRYPTABLE_KEY}): readers fail closed.
     */
    DecryptionMaterials onDecrypt(DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys)
            throws KeyringException;
}

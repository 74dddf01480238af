package dev.coffer.kms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.core.Arns;
import dev.coffer.kms.core.KeyResolver;
import dev.coffer.kms.core.KeyState;
import dev.coffer.kms.core.KmsCrypto;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.core.KmsKeyStore;
import dev.coffer.kms.hsm.Hsm;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every KMS operation handler shares: the store, the HSM and crypto, the authorizer, the clock,
 * and the per-key locks that serialise changes to one key.
 */
public final class KmsContext {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final KmsConfig config;
    private final String account;
    private final KmsKeyStore store;
    private final Hsm hsm;
    private final KmsCrypto crypto;
    private final KmsAuthorizer authorizer;
    private final Clock clock;
    private final SecureRandom random;
    private final KeyResolver resolver;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public KmsContext(KmsConfig config, String account, KmsKeyStore store, Hsm hsm, KmsAuthorizer authorizer,
                      Clock clock, SecureRandom random, Function<String, KmsKey> awsManagedKeyCreator) {
        this.config = config;
        this.account = account;
        this.store = store;
        this.hsm = hsm;
        this.crypto = new KmsCrypto(hsm, random);
        this.authorizer = authorizer;
        this.clock = clock;
        this.random = random;
        this.resolver = new KeyResolver(store, config.region(), account, awsManagedKeyCreator);
    }

    public KmsConfig config() { return config; }
    public String region() { return config.region(); }
    public String account() { return account; }
    public KmsKeyStore store() { return store; }
    public Hsm hsm() { return hsm; }
    public KmsCrypto crypto() { return crypto; }
    public KmsAuthorizer authorizer() { return authorizer; }
    public Clock clock() { return clock; }
    public SecureRandom random() { return random; }
    public KeyResolver resolver() { return resolver; }

    /** Runs {@code change} holding the key's lock, so read-modify-write of one key is atomic. */
    public <T> T withKeyLock(String keyId, Supplier<T> change) {
        ReentrantLock lock = locks.computeIfAbsent(keyId, k -> new ReentrantLock());
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }

    /** The key again from the store (inside a lock), or NotFound if it vanished meanwhile. */
    public KmsKey reload(KmsKey key) {
        return store.key(key.keyId()).orElseThrow(() -> new KmsException(KmsError.NOT_FOUND,
                "Key '" + key.arn() + "' does not exist"));
    }

    // ---- key state rules (AWS's key state table) -------------------------------------------------

    /** For Encrypt, GenerateDataKey*, ReEncrypt (destination): only Enabled keys. */
    public void requireUsableForEncryption(KmsKey key) {
        switch (key.keyState()) {
            case Enabled -> { }
            case Disabled -> throw new KmsException(KmsError.DISABLED, key.arn() + " is disabled.");
            case PendingDeletion -> throw new KmsException(KmsError.INVALID_STATE, key.arn() + " is pending deletion.");
            case PendingImport -> throw new KmsException(KmsError.INVALID_STATE, key.arn() + " is pending import.");
        }
    }

    /** For Decrypt and ReEncrypt's source: as encryption. */
    public void requireUsableForDecryption(KmsKey key) {
        requireUsableForEncryption(key);
    }

    /** Management operations other than deletion-related ones refuse keys pending deletion. */
    public void requireNotPendingDeletion(KmsKey key) {
        if (key.keyState() == KeyState.PendingDeletion) {
            throw new KmsException(KmsError.INVALID_STATE, key.arn() + " is pending deletion.");
        }
    }

    /** Customers cannot manage AWS managed keys. */
    public void requireCustomerManaged(KmsKey key, KmsOperation op) {
        if (key.isAwsManaged()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION,
                    key.arn() + " is an AWS managed key; " + op.name() + " is not allowed on AWS managed keys.");
        }
    }

    // ---- response helpers ------------------------------------------------------------------------

    public ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** AWS's KeyMetadata structure. */
    public ObjectNode keyMetadata(KmsKey key) {
        ObjectNode m = JSON.createObjectNode();
        m.put("AWSAccountId", key.accountId());
        m.put("KeyId", key.keyId());
        m.put("Arn", key.arn());
        m.put("CreationDate", epochSeconds(key.creationDate()));
        m.put("Enabled", key.keyState() == KeyState.Enabled);
        m.put("Description", key.description() == null ? "" : key.description());
        m.put("KeyUsage", "ENCRYPT_DECRYPT");
        m.put("KeyState", key.keyState().name());
        if (key.deletionDate() != null) {
            m.put("DeletionDate", epochSeconds(key.deletionDate()));
        }
        if (key.pendingDeletionWindowInDays() != null && key.keyState() == KeyState.PendingDeletion) {
            m.put("PendingDeletionWindowInDays", key.pendingDeletionWindowInDays());
        }
        m.put("Origin", key.origin());
        m.put("KeyManager", key.keyManager());
        m.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        m.put("KeySpec", "SYMMETRIC_DEFAULT");
        m.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        m.put("MultiRegion", false);
        if (key.isExternal()) {
            if (key.expirationModel() != null) {
                m.put("ExpirationModel", key.expirationModel());
            }
            if (key.currentMaterial() != null && key.currentMaterial().validTo() != null && key.currentMaterial().present()) {
                m.put("ValidTo", epochSeconds(key.currentMaterial().validTo()));
            }
        }
        if (key.currentMaterial() != null && key.currentMaterial().present()) {
            m.put("CurrentKeyMaterialId", key.currentMaterial().materialId());
        }
        return m;
    }

    public static double epochSeconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    public String aliasArn(String aliasName) {
        return Arns.aliasArn(region(), account, aliasName);
    }
}

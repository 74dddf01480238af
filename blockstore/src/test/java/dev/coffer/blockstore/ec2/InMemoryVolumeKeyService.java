package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KMS for volume tests: symmetric keys held in memory that wrap data keys with real AES-256-GCM,
 * the encryption context and key ARN bound as AAD; aliases; grants that allow decrypting exactly one
 * context; keys that can be disabled. It records every call so tests can see which keys were used.
 */
final class InMemoryVolumeKeyService implements VolumeKeyService {
    private final String region;
    private final String account;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
    /** grant id -> key ARN + context. */
    final Map<String, String> grants = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    InMemoryVolumeKeyService(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** Creates a key and returns its ARN; {@code alias} (without "alias/") is optional. */
    String createKey(String alias) {
        String id = UUID.randomUUID().toString();
        String arn = "arn:aws:kms:" + region + ":" + account + ":key/" + id;
        byte[] material = new byte[32];
        random.nextBytes(material);
        keys.put(arn, material);
        enabled.put(arn, true);
        if (alias != null) {
            aliases.put("alias/" + alias, arn);
        }
        return arn;
    }

    void disable(String arn) {
        enabled.put(arn, false);
    }

    @Override
    public String resolveKey(String requester, String keyId) {
        calls.add("DescribeKey " + keyId);
        if (keyId.equals(EBS_MANAGED_KEY) && !aliases.containsKey(EBS_MANAGED_KEY)) {
            aliases.put(EBS_MANAGED_KEY, createKey(null));
        }
        return usable(keyId);
    }

    private String usable(String keyId) {
        String arn = keyId;
        if (keyId.startsWith("alias/")) {
            arn = aliases.get(keyId);
        } else if (keyId.startsWith("arn:aws:kms:") && keyId.contains(":alias/")) {
            arn = aliases.get(keyId.substring(keyId.indexOf(":alias/") + 1));
        } else if (!keyId.startsWith("arn:")) {
            arn = "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
        }
        if (arn == null || !keys.containsKey(arn)) {
            throw new VolumeKeyException("NotFoundException", "Key '" + keyId + "' does not exist");
        }
        if (!enabled.get(arn)) {
            throw new VolumeKeyException("DisabledException", arn + " is disabled.");
        }
        return arn;
    }

    @Override
    public byte[] generateDataKeyWithoutPlaintext(String requester, String keyArn, Map<String, String> context) {
        calls.add("GenerateDataKeyWithoutPlaintext " + keyArn + " " + context);
        usable(keyArn);
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        try {
            return wrap(keyArn, dataKey, context);
        } finally {
            java.util.Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public UnsealedKey unseal(String requester, String keyArn, byte[] encryptedDataKey, Map<String, String> context) {
        calls.add("CreateGrant+Decrypt " + keyArn + " " + context);
        usable(keyArn);
        String grantId = "grant-" + UUID.randomUUID();
        SecretBytes key = unwrap(keyArn, encryptedDataKey, context);
        grants.put(grantId, keyArn + " " + new TreeMap<>(context));
        return new UnsealedKey(key, grantId);
    }

    @Override
    public SecretBytes decryptUnderGrant(String keyArn, String grantId, byte[] encryptedDataKey, Map<String, String> context) {
        calls.add("Decrypt(grant) " + keyArn + " " + context);
        usable(keyArn);
        String grant = grants.get(grantId);
        if (grant == null || !grant.equals(keyArn + " " + new TreeMap<>(context))) {
            throw new VolumeKeyException("AccessDeniedException", "no grant allows this");
        }
        return unwrap(keyArn, encryptedDataKey, context);
    }

    @Override
    public void retireGrant(String keyArn, String grantId) {
        calls.add("RetireGrant " + keyArn);
        grants.remove(grantId);
    }

    private byte[] wrap(String keyArn, byte[] plaintext, Map<String, String> context) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(keyArn), "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(aad(keyArn, context));
            byte[] sealed = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SecretBytes unwrap(String keyArn, byte[] blob, Map<String, String> context) {
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get(keyArn), "AES"), new GCMParameterSpec(128, blob, 0, 12));
            gcm.updateAAD(aad(keyArn, context));
            return SecretBytes.takeOwnership(gcm.doFinal(blob, 12, blob.length - 12));
        } catch (GeneralSecurityException e) {
            throw new VolumeKeyException("InvalidCiphertextException", "the ciphertext does not match the key or context");
        }
    }

    private static byte[] aad(String keyArn, Map<String, String> context) {
        return (keyArn + "\u0000" + new TreeMap<>(context)).getBytes(StandardCharsets.UTF_8);
    }
}

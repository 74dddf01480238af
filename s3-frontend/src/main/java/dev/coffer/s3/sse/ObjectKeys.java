package dev.coffer.s3.sse;

import dev.coffer.crypto.AssociatedData;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.envelope.EncryptionContext;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where object data keys come from and go back to. SSE-S3: a service data key per bucket from the
 * KMS (the S3 service's own key, reused for a bounded time and number of objects, as AWS rotates
 * its SSE-S3 keys); SSE-KMS: GenerateDataKey / Decrypt on the requester's behalf for every object,
 * or a bucket key per requester reused likewise; SSE-C: the customer's key, checked against the
 * salted HMAC stored with the object. Every object stream still derives its own content key from
 * the data key and a random per-stream salt (object stream format v1), so sharing a data key never
 * shares a content key. Thread-safe.
 */
public final class ObjectKeys {
    /** The encryption-context key S3 adds: the object's ARN, or the bucket's under a bucket key. */
    public static final String ARN_CONTEXT_KEY = "aws:s3:arn";
    private static final String AAD_LABEL = "coffer-s3-object-v1";

    private final KeyService keys;
    private final DataKeyCache cache;
    private final SecureRandom random;
    private final int segmentSize;
    private final AtomicLong kmsGenerateCalls = new AtomicLong();
    private final AtomicLong kmsDecryptCalls = new AtomicLong();

    public ObjectKeys(KeyService keys, DataKeyCache cache, SecureRandom random, int segmentSize) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.random = Objects.requireNonNull(random, "random");
        this.segmentSize = segmentSize;
    }

    /** The associated data binding a stream to its bucket, key and part (0 for an object written whole). */
    public static byte[] associatedData(String bucket, String key, int partNumber) {
        return AssociatedData.ofFields(AAD_LABEL, bucket, key, Integer.toString(partNumber));
    }

    public int segmentSize() {
        return segmentSize;
    }

    /** GenerateDataKey calls made so far (bucket keys and SSE-S3 make few). */
    public long kmsGenerateCalls() {
        return kmsGenerateCalls.get();
    }

    /** Decrypt calls made so far. */
    public long kmsDecryptCalls() {
        return kmsDecryptCalls.get();
    }

    /** A fresh data key for a new object or multipart upload, and the envelope to store with it. */
    public WriteKey newKey(SseChoice choice, String bucket, String key, S3Caller caller) {
        return switch (choice) {
            case SseChoice.SseS3 s -> {
                DataKeyCache.Cached k = cache.get(serviceSlot(bucket),
                        () -> generate(KmsRequester.s3Service(), KeyService.SSE_S3_SERVICE_KEY, sseS3Context(bucket)));
                yield new WriteKey(k.plaintext(), SseEnvelope.kms(SseMode.SSE_S3, segmentSize, k.keyArn(), false, Map.of(), k.blob()));
            }
            case SseChoice.SseKms kms -> {
                KmsRequester requester = requester(caller);
                String keyId = kms.keyId() == null ? "alias/aws/s3" : kms.keyId();
                Map<String, String> context = kmsContext(kms.context(), bucket, key, kms.bucketKey());
                DataKeyCache.Cached k = kms.bucketKey()
                        ? cache.get(bucketKeySlot(requester, keyId, context), () -> generate(requester, keyId, context))
                        : generate(requester, keyId, context);
                yield new WriteKey(k.plaintext(),
                        SseEnvelope.kms(SseMode.SSE_KMS, segmentSize, k.keyArn(), kms.bucketKey(), kms.context(), k.blob()));
            }
            case SseChoice.SseC c -> {
                byte[] salt = new byte[SseEnvelope.SALT_BYTES];
                random.nextBytes(salt);
                byte[] keyBytes = c.customerKey().unsafeView(SecretAccess.explicitly());
                yield new WriteKey(SecretBytes.copyOf(keyBytes), SseEnvelope.customerKey(segmentSize, salt, hmac(salt, keyBytes)));
            }
        };
    }

    /**
     * The data key of a stored object or upload.
     *
     * @param customerKey the SSE-C key the request carried, or null; an SSE-C object needs it
     *     (missing: 400 InvalidRequest) and it must be the one the object was written with (else 403)
     */
    public SecretBytes dataKey(SseEnvelope envelope, String bucket, String key, S3Caller caller, SecretBytes customerKey) {
        switch (envelope.mode()) {
            case SSE_C -> {
                if (customerKey == null) {
                    throw new S3Exception(S3Error.INVALID_REQUEST, "The object was stored using a form of Server Side "
                            + "Encryption. The correct parameters must be provided to retrieve the object.");
                }
                byte[] keyBytes = customerKey.unsafeView(SecretAccess.explicitly());
                if (!MessageDigest.isEqual(hmac(envelope.customerKeySalt(), keyBytes), envelope.customerKeyHmac())) {
                    throw new S3Exception(S3Error.ACCESS_DENIED);
                }
                return SecretBytes.copyOf(keyBytes);
            }
            case SSE_S3 -> {
                Map<String, String> context = sseS3Context(bucket);
                byte[] blob = envelope.kmsBlob();
                return cache.get(serviceSlot(bucket) + "|" + HexFormat.of().formatHex(sha256(blob)),
                        () -> decrypt(KmsRequester.s3Service(), envelope.keyArn(), blob, context)).plaintext();
            }
            case SSE_KMS -> {
                KmsRequester requester = requester(caller);
                Map<String, String> context = kmsContext(envelope.context(), bucket, key, envelope.bucketKey());
                byte[] blob = envelope.kmsBlob();
                if (!envelope.bucketKey()) {
                    return decrypt(requester, envelope.keyArn(), blob, context).plaintext();
                }
                return cache.get(bucketKeySlot(requester, envelope.keyArn(), context) + "|"
                        + HexFormat.of().formatHex(sha256(blob)),
                        () -> decrypt(requester, envelope.keyArn(), blob, context)).plaintext();
            }
            default -> throw new IllegalStateException("unknown mode " + envelope.mode());
        }
    }

    /** The encryption context S3 sends the KMS: the requester's, plus aws:s3:arn. */
    public static Map<String, String> kmsContext(Map<String, String> requested, String bucket, String key, boolean bucketKey) {
        Map<String, String> context = new LinkedHashMap<>(requested);
        context.put(ARN_CONTEXT_KEY, bucketKey ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + key);
        return context;
    }

    private static Map<String, String> sseS3Context(String bucket) {
        return Map.of(ARN_CONTEXT_KEY, "arn:aws:s3:::" + bucket);
    }

    private static KmsRequester requester(S3Caller caller) {
        if (caller.isAnonymous()) {
            throw new S3Exception(S3Error.ACCESS_DENIED,
                    "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.");
        }
        return KmsRequester.onBehalfOf(caller.verified().accessKeyId());
    }

    private DataKeyCache.Cached generate(KmsRequester requester, String keyId, Map<String, String> context) {
        kmsGenerateCalls.incrementAndGet();
        try (GeneratedDataKey generated = keys.generateDataKey(requester, keyId, context)) {
            return new DataKeyCache.Cached(generated.keyArn(),
                    SecretBytes.copyOf(generated.plaintext().unsafeView(SecretAccess.explicitly())), generated.ciphertextBlob());
        } catch (KeyServiceException e) {
            throw KmsErrors.translate(e);
        }
    }

    private DataKeyCache.Cached decrypt(KmsRequester requester, String keyArn, byte[] blob, Map<String, String> context) {
        kmsDecryptCalls.incrementAndGet();
        try {
            return new DataKeyCache.Cached(keyArn, keys.decrypt(requester, keyArn, blob, context), null);
        } catch (KeyServiceException e) {
            throw KmsErrors.translate(e);
        }
    }

    private static String serviceSlot(String bucket) {
        return "sse-s3|" + bucket;
    }

    private static String bucketKeySlot(KmsRequester requester, String keyId, Map<String, String> context) {
        String who = requester instanceof KmsRequester.OnBehalfOf o ? o.accessKeyId() : "s3";
        return "bucket-key|" + who + "|" + keyId + "|"
                + HexFormat.of().formatHex(sha256(EncryptionContext.of(context).canonicalBytes()));
    }

    private static byte[] hmac(byte[] salt, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac.doFinal(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

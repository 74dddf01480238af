package dev.coffer.s3.ops.object;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.sse.BucketEncryption;
import dev.coffer.s3.sse.CustomerKey;
import dev.coffer.s3.sse.EncryptionContextHeader;
import dev.coffer.s3.sse.ObjectKeys;
import dev.coffer.s3.sse.ObjectPlaintext;
import dev.coffer.s3.sse.SseChoice;
import dev.coffer.s3.sse.SseEnvelope;
import dev.coffer.s3.sse.SseHeaders;
import dev.coffer.s3.sse.SseMode;
import dev.coffer.s3.sse.WriteEncryption;
import dev.coffer.s3.sse.WriteKey;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side encryption as the object handlers see it: which encryption a new object or upload
 * gets (request headers, else the bucket default), its data key and envelope, the data key of a
 * stored object (with the SSE-C rules for reads), and the SSE response headers.
 */
public final class ObjectSse {
    private ObjectSse() {
    }

    /**
     * The encryption of a write (PutObject, CopyObject destination, CreateMultipartUpload): the
     * request's headers, else the bucket's default, else none (null). Close the result: it may hold
     * an SSE-C key.
     */
    public static Chosen chooseForWrite(S3Call call) {
        WriteEncryption requested = SseHeaders.forWrite(call.request(), call.config().sseCOverPlainHttp());
        Optional<BucketEncryption> bucketDefault = BucketEncryption.of(call.bucket());
        SseChoice choice = switch (requested) {
            case WriteEncryption.None n -> bucketDefault.map(d -> switch (d.writeDefault()) {
                case BucketEncryption.WriteDefault.SseS3 s -> (SseChoice) new SseChoice.SseS3();
                case BucketEncryption.WriteDefault.SseKms k -> new SseChoice.SseKms(k.kmsKeyId().orElse(null), Map.of(),
                        n.bucketKeyEnabled().orElse(k.bucketKeyEnabled()));
            }).orElse(null);
            case WriteEncryption.SseS3 s -> new SseChoice.SseS3();
            case WriteEncryption.SseKms k -> new SseChoice.SseKms(k.keyId().orElse(null), k.context(),
                    k.bucketKeyEnabled().orElseGet(() -> bucketDefault.map(BucketEncryption::bucketKeyEnabled).orElse(false)));
            case WriteEncryption.SseC c -> {
                if (bucketDefault.map(BucketEncryption::blocksSseC).orElse(false)) {
                    c.key().close();
                    throw new S3Exception(S3Error.ACCESS_DENIED, "This bucket blocks server-side encryption with "
                            + "customer-provided keys (SSE-C); PutBucketEncryption with BlockedEncryptionTypes NONE allows it.");
                }
                yield new SseChoice.SseC(c.key().key());
            }
        };
        return new Chosen(choice, requested instanceof WriteEncryption.SseC c ? c.key() : null);
    }

    /**
     * The data key an UploadPart or UploadPartCopy seals its part with: the upload's (empty for a
     * plain upload). An SSE-C upload's parts must each carry the upload's key (400 otherwise, as
     * AWS); an SSE-KMS upload's parts need kms:Decrypt, checked by the KMS on the requester's behalf.
     */
    public static Optional<SecretBytes> partKey(S3Call call, UploadRecord upload) {
        SseHeaders.refuseWriteOnlyHeaders(call.request());
        try (CustomerKey customerKey = SseHeaders.customerKey(call.request(), call.config().sseCOverPlainHttp()).orElse(null)) {
            byte[] stored = upload.attributes().envelope();
            boolean sseC = stored != null && envelope(stored).mode() == SseMode.SSE_C;
            if (sseC && customerKey == null) {
                throw partNeedsKey();
            }
            try {
                return readKey(call, call.bucket().name(), upload.key(), upload.attributes(), Optional.ofNullable(customerKey));
            } catch (S3Exception e) {
                if (sseC && e.error() == S3Error.ACCESS_DENIED) {
                    throw partNeedsKey();
                }
                throw e;
            }
        }
    }

    private static S3Exception partNeedsKey() {
        return new S3Exception(S3Error.INVALID_REQUEST, "The multipart upload initiate requested encryption. "
                + "Subsequent part requests must include the appropriate encryption parameters.");
    }

    /** A write's encryption, and the SSE-C key it came with (destroyed on close). */
    public record Chosen(SseChoice choice, CustomerKey customerKey) implements AutoCloseable {
        public boolean encrypted() {
            return choice != null;
        }

        /** Whether the ETag is the MD5 of the data: plain and SSE-S3 objects (AWS). */
        public boolean md5ETag() {
            return choice == null || choice instanceof SseChoice.SseS3;
        }

        @Override
        public void close() {
            if (customerKey != null) {
                customerKey.close();
            }
        }

        @Override
        public String toString() {
            return "Chosen[" + choice + "]";
        }
    }

    /** Whether objects and parts with these attributes have the MD5 of their bytes as ETag (plain, SSE-S3). */
    public static boolean md5ETag(ObjectAttributes attributes) {
        byte[] stored = attributes.envelope();
        return stored == null || envelope(stored).mode() == SseMode.SSE_S3;
    }

    /** A new data key and envelope for object (or upload) {@code key} of the request's bucket. */
    public static WriteKey newKey(S3Call call, SseChoice choice, String key) {
        return call.keys().newKey(choice, call.bucket().name(), key, call.caller());
    }

    /**
     * The data key of a stored object or upload with these attributes, or empty if it is plain.
     * SSE-C: the request's key must be there and be the object's (400 / 403); SSE-C headers on an
     * object that is not SSE-C are refused (400), as in AWS.
     */
    public static Optional<SecretBytes> readKey(S3Call call, String bucket, String key, ObjectAttributes attributes,
                                                Optional<CustomerKey> customerKey) {
        byte[] stored = attributes.envelope();
        if (stored == null) {
            if (customerKey.isPresent()) {
                throw notApplicable();
            }
            return Optional.empty();
        }
        SseEnvelope envelope = envelope(stored);
        if (envelope.mode() != SseMode.SSE_C && customerKey.isPresent()) {
            throw notApplicable();
        }
        return Optional.of(call.keys().dataKey(envelope, bucket, key, call.caller(),
                customerKey.map(CustomerKey::key).orElse(null)));
    }

    /**
     * The plaintext of a copy source's range (CopyObject, UploadPartCopy): decrypted when the
     * source is encrypted, with the x-amz-copy-source SSE-C key for an SSE-C source; stored bytes
     * otherwise. The handle must stay open while the stream is read.
     */
    public static InputStream openCopySource(S3Call call, ObjectHandle handle, long first, long length) throws IOException {
        ObjectRecord source = handle.record();
        SecretBytes dataKey;
        try (CustomerKey customerKey = SseHeaders.copySourceCustomerKey(call.request(), call.config().sseCOverPlainHttp())
                .orElse(null)) {
            dataKey = readKey(call, source.bucket(), source.key(), source.attributes(), Optional.ofNullable(customerKey))
                    .orElse(null);
        }
        if (dataKey == null) {
            return handle.openStream(first, length);
        }
        InputStream plaintext = ObjectPlaintext.open(handle, dataKey, first, length);
        return new FilterInputStream(plaintext) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    dataKey.destroy();
                }
            }
        };
    }

    public static SseEnvelope envelope(byte[] stored) {
        try {
            return SseEnvelope.decode(stored);
        } catch (SseEnvelope.EnvelopeException e) {
            throw new S3Exception(S3Error.INTERNAL_ERROR, "The object's stored encryption envelope cannot be read.");
        }
    }

    private static S3Exception notApplicable() {
        return new S3Exception(S3Error.INVALID_REQUEST, "The encryption parameters are not applicable to this object.");
    }

    /**
     * The SSE response headers of an object or upload.
     *
     * @param customerKeyMd5 the SSE-C key's MD5 as the request sent it (echoed), or null
     * @param withContext whether to include x-amz-server-side-encryption-context (Put, Copy, CreateMultipartUpload)
     */
    public static List<Map.Entry<String, String>> responseHeaders(ObjectAttributes attributes, String bucket, String key,
                                                                  String customerKeyMd5, boolean withContext) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        byte[] stored = attributes.envelope();
        if (stored == null) {
            return headers;
        }
        SseEnvelope envelope = envelope(stored);
        switch (envelope.mode()) {
            case SSE_S3 -> headers.add(Map.entry("x-amz-server-side-encryption", "AES256"));
            case SSE_KMS -> {
                headers.add(Map.entry("x-amz-server-side-encryption", "aws:kms"));
                headers.add(Map.entry("x-amz-server-side-encryption-aws-kms-key-id", envelope.keyArn()));
                if (envelope.bucketKey()) {
                    headers.add(Map.entry("x-amz-server-side-encryption-bucket-key-enabled", "true"));
                }
                if (withContext) {
                    headers.add(Map.entry(EncryptionContextHeader.NAME, EncryptionContextHeader.encode(
                            ObjectKeys.kmsContext(envelope.context(), bucket, key, envelope.bucketKey()))));
                }
            }
            case SSE_C -> {
                headers.add(Map.entry("x-amz-server-side-encryption-customer-algorithm", "AES256"));
                if (customerKeyMd5 != null) {
                    headers.add(Map.entry("x-amz-server-side-encryption-customer-key-MD5", customerKeyMd5));
                }
            }
        }
        return headers;
    }
}

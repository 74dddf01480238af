package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and validates the server-side-encryption request headers, with AWS's status, code and
 * message for each refusal (docs/S3-SSE.md "Request headers and errors"). Pure: it looks only at
 * the request head, calls no KMS and knows nothing of buckets or stored objects, so the refusals
 * that depend on those (wrong SSE-C key, SSE-C headers for a non-SSE-C object, a bucket that blocks
 * SSE-C) are the handlers'.
 *
 * <p>No error shows an SSE-C key, its base64 or its MD5; a decoded key that fails validation is
 * zeroised before the error is thrown.
 */
public final class SseHeaders {
    public static final String SSE = "x-amz-server-side-encryption";
    public static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    public static final String CONTEXT = EncryptionContextHeader.NAME;
    public static final String BUCKET_KEY_ENABLED = "x-amz-server-side-encryption-bucket-key-enabled";
    public static final String CUSTOMER_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
    public static final String CUSTOMER_KEY = "x-amz-server-side-encryption-customer-key";
    public static final String CUSTOMER_KEY_MD5 = "x-amz-server-side-encryption-customer-key-MD5";
    public static final String COPY_SOURCE_CUSTOMER_ALGORITHM = "x-amz-copy-source-server-side-encryption-customer-algorithm";
    public static final String COPY_SOURCE_CUSTOMER_KEY = "x-amz-copy-source-server-side-encryption-customer-key";
    public static final String COPY_SOURCE_CUSTOMER_KEY_MD5 = "x-amz-copy-source-server-side-encryption-customer-key-MD5";

    /** Values of {@link #SSE}. */
    public static final String AES256 = "AES256";
    public static final String AWS_KMS = "aws:kms";
    public static final String AWS_KMS_DSSE = "aws:kms:dsse";

    // AWS's texts; the source of each is in docs/S3-SSE.md.
    static final String SSE_C_PREFIX = "Requests specifying Server Side Encryption with Customer provided keys must ";
    static final String MISSING_ALGORITHM = SSE_C_PREFIX + "provide a valid encryption algorithm.";
    static final String MISSING_KEY = SSE_C_PREFIX + "provide an appropriate secret key.";
    static final String MISSING_KEY_MD5 = SSE_C_PREFIX + "provide the client calculated MD5 of the secret key.";
    static final String INSECURE = SSE_C_PREFIX + "be made over a secure connection.";
    static final String INVALID_KEY = "The secret key was invalid for the specified algorithm.";
    static final String KEY_MD5_MISMATCH = "The calculated MD5 hash of the key did not match the hash that was provided.";
    static final String SSE_C_INCOMPATIBLE =
            "Server Side Encryption with Customer provided key is incompatible with the encryption method specified";
    static final String METHOD_NOT_SUPPORTED = "The encryption method specified is not supported";
    static final String KMS_HEADER_REQUIRED =
            "Server Side Encryption with AWS KMS managed key requires HTTP header " + SSE + " : " + AWS_KMS;
    // Coffer's texts where AWS's is not on record.
    static final String EMPTY_KMS_KEY_ID = "The KMS key id in " + KMS_KEY_ID + " must not be empty.";
    static final String BUCKET_KEY_NOT_BOOLEAN = BUCKET_KEY_ENABLED + " must be true or false.";
    static final String BUCKET_KEY_WITH_SSE_C =
            "Server Side Encryption with Customer provided keys cannot use an S3 Bucket Key (" + BUCKET_KEY_ENABLED + ").";
    static final String DSSE_NOT_IMPLEMENTED = "Dual-layer server-side encryption with AWS KMS keys (" + SSE + ": "
            + AWS_KMS_DSSE + ") is not implemented by this Coffer version; nothing was stored.";

    /** Headers that only a write may carry: a read or a part upload that sends one gets 400. */
    private static final List<String> WRITE_ONLY = List.of(SSE, KMS_KEY_ID, CONTEXT, BUCKET_KEY_ENABLED);

    /** The three headers that carry one SSE-C key. */
    private record Trio(String algorithm, String key, String keyMd5) {
        boolean presentIn(S3Request request) {
            return request.header(algorithm) != null || request.header(key) != null || request.header(keyMd5) != null;
        }
    }

    private static final Trio OBJECT = new Trio(CUSTOMER_ALGORITHM, CUSTOMER_KEY, CUSTOMER_KEY_MD5);
    private static final Trio COPY_SOURCE =
            new Trio(COPY_SOURCE_CUSTOMER_ALGORITHM, COPY_SOURCE_CUSTOMER_KEY, COPY_SOURCE_CUSTOMER_KEY_MD5);

    private SseHeaders() {
    }

    /**
     * The encryption PutObject, CopyObject (for its destination) or CreateMultipartUpload asks for.
     * SSE-C's key belongs to the caller, who closes it.
     *
     * @param allowSseCOverHttp accept SSE-C on a request that did not arrive over TLS (tests and
     *     TLS-terminating proxies only: AWS treats such a key as compromised)
     * @throws S3Exception the row of docs/S3-SSE.md the headers break
     */
    public static WriteEncryption forWrite(S3Request request, boolean allowSseCOverHttp) {
        String method = request.header(SSE);
        boolean sseC = OBJECT.presentIn(request);
        if (sseC) {
            // First: a key sent in the clear is compromised whatever else is wrong with the request.
            requireSecureTransport(request, allowSseCOverHttp);
            if (method != null) {
                throw S3Exception.invalidArgument(SSE_C_INCOMPATIBLE, SSE, method);
            }
        }
        if (method != null) {
            requireSupportedMethod(method);
        }
        String kmsKeyId = request.header(KMS_KEY_ID);
        String context = request.header(CONTEXT);
        if (!AWS_KMS.equals(method)) {
            if (kmsKeyId != null) {
                throw S3Exception.invalidArgument(KMS_HEADER_REQUIRED, KMS_KEY_ID, kmsKeyId);
            }
            if (context != null) {
                throw S3Exception.invalidArgument(KMS_HEADER_REQUIRED, CONTEXT, context);
            }
        }
        String bucketKeyHeader = request.header(BUCKET_KEY_ENABLED);
        if (sseC && bucketKeyHeader != null) {
            throw S3Exception.invalidArgument(BUCKET_KEY_WITH_SSE_C, BUCKET_KEY_ENABLED, bucketKeyHeader);
        }
        Optional<Boolean> bucketKeyEnabled = parseBucketKeyEnabled(bucketKeyHeader);
        if (sseC) {
            return new WriteEncryption.SseC(readKey(request, OBJECT));
        }
        if (method == null) {
            return new WriteEncryption.None(bucketKeyEnabled);
        }
        if (method.equals(AES256)) {
            // A Bucket Key only concerns SSE-KMS; AWS documents no error for it here, so it is ignored.
            return new WriteEncryption.SseS3();
        }
        if (kmsKeyId != null && kmsKeyId.isBlank()) {
            throw S3Exception.invalidArgument(EMPTY_KMS_KEY_ID, KMS_KEY_ID, kmsKeyId);
        }
        Map<String, String> decodedContext = context == null ? Map.of() : EncryptionContextHeader.decode(context);
        return new WriteEncryption.SseKms(Optional.ofNullable(kmsKeyId), decodedContext, bucketKeyEnabled);
    }

    /**
     * The SSE-C key of GetObject, HeadObject, UploadPart, UploadPartCopy (its destination part) or
     * CompleteMultipartUpload, or empty when none of the three headers is present. Whether the
     * object needs one, and whether it is the right one, is the handler's to check.
     *
     * @throws S3Exception the SSE-C row of docs/S3-SSE.md the headers break
     */
    public static Optional<CustomerKey> customerKey(S3Request request, boolean allowSseCOverHttp) {
        return optionalKey(request, OBJECT, allowSseCOverHttp);
    }

    /**
     * The key of an SSE-C copy source, from the {@code x-amz-copy-source-server-side-encryption-customer-*}
     * headers of CopyObject or UploadPartCopy, or empty when none of the three is present. Same rules
     * and messages as {@link #customerKey}, with the copy-source header as ArgumentName.
     */
    public static Optional<CustomerKey> copySourceCustomerKey(S3Request request, boolean allowSseCOverHttp) {
        return optionalKey(request, COPY_SOURCE, allowSseCOverHttp);
    }

    /**
     * Refuses the SSE-S3/SSE-KMS request headers on an operation that does not take them (GetObject,
     * HeadObject, UploadPart, UploadPartCopy, CompleteMultipartUpload): 400 InvalidArgument. AWS
     * refuses them on reads because the encryption of a stored object cannot change on read.
     */
    public static void refuseWriteOnlyHeaders(S3Request request) {
        for (String name : WRITE_ONLY) {
            String value = request.header(name);
            if (value != null) {
                throw S3Exception.invalidArgument(name + " header is not supported for this operation.", name, value);
            }
        }
    }

    private static Optional<CustomerKey> optionalKey(S3Request request, Trio trio, boolean allowSseCOverHttp) {
        if (!trio.presentIn(request)) {
            return Optional.empty();
        }
        requireSecureTransport(request, allowSseCOverHttp);
        return Optional.of(readKey(request, trio));
    }

    private static void requireSecureTransport(S3Request request, boolean allowSseCOverHttp) {
        if (!request.head().secureTransport() && !allowSseCOverHttp) {
            throw new S3Exception(S3Error.INVALID_REQUEST, INSECURE);
        }
    }

    private static void requireSupportedMethod(String method) {
        switch (method) {
            case AES256, AWS_KMS -> {
            }
            case AWS_KMS_DSSE -> throw new S3Exception(S3Error.NOT_IMPLEMENTED, DSSE_NOT_IMPLEMENTED).with("Header", SSE);
            default -> throw S3Exception.invalidArgument(METHOD_NOT_SUPPORTED, SSE, method);
        }
    }

    private static Optional<Boolean> parseBucketKeyEnabled(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.equalsIgnoreCase("true")) {
            return Optional.of(true);
        }
        if (value.equalsIgnoreCase("false")) {
            return Optional.of(false);
        }
        throw S3Exception.invalidArgument(BUCKET_KEY_NOT_BOOLEAN, BUCKET_KEY_ENABLED, value);
    }

    /** The trio's key, checked in the order MinIO's ssec.ParseHTTP uses (docs/S3-SSE.md). */
    private static CustomerKey readKey(S3Request request, Trio trio) {
        String algorithm = request.header(trio.algorithm());
        if (algorithm == null) {
            throw S3Exception.invalidArgument(MISSING_ALGORITHM, trio.algorithm(), null);
        }
        if (!algorithm.equals(CustomerKey.ALGORITHM)) {
            throw new S3Exception(S3Error.INVALID_ENCRYPTION_ALGORITHM).with("ArgumentName", trio.algorithm())
                    .with("ArgumentValue", algorithm);
        }
        String keyBase64 = request.header(trio.key());
        if (keyBase64 == null) {
            throw S3Exception.invalidArgument(MISSING_KEY, trio.key(), null);
        }
        String md5Base64 = request.header(trio.keyMd5());
        if (md5Base64 == null) {
            throw S3Exception.invalidArgument(MISSING_KEY_MD5, trio.keyMd5(), null);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(keyBase64);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument(INVALID_KEY, trio.key(), null);
        }
        if (raw.length != CustomerKey.KEY_SIZE_BYTES) {
            Arrays.fill(raw, (byte) 0);
            throw S3Exception.invalidArgument(INVALID_KEY, trio.key(), null);
        }
        CustomerKey key = CustomerKey.of(SecretBytes.takeOwnership(raw));
        if (!MessageDigest.isEqual(decodeOrEmpty(md5Base64), Base64.getDecoder().decode(key.keyMd5()))) {
            key.close();
            throw S3Exception.invalidArgument(KEY_MD5_MISMATCH, trio.keyMd5(), null);
        }
        return key;
    }

    private static byte[] decodeOrEmpty(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}

package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** PROVISIONAL minimal parsing: replaced by the sse-headers branch. */
public final class SseHeaders {
    private SseHeaders() {
    }

    public static WriteEncryption forWrite(S3Request request, boolean allowSseCOverHttp) {
        Optional<CustomerKey> c = customerKey(request, allowSseCOverHttp);
        if (c.isPresent()) {
            return new WriteEncryption.SseC(c.get());
        }
        String sse = request.header("x-amz-server-side-encryption");
        if (sse == null) {
            return new WriteEncryption.None();
        }
        if (sse.equals("AES256")) {
            return new WriteEncryption.SseS3();
        }
        String bk = request.header("x-amz-server-side-encryption-bucket-key-enabled");
        return new WriteEncryption.SseKms(Optional.ofNullable(request.header("x-amz-server-side-encryption-aws-kms-key-id")),
                Map.of(), bk == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(bk)));
    }

    public static Optional<CustomerKey> customerKey(S3Request request, boolean allowSseCOverHttp) {
        return trio(request, "x-amz-server-side-encryption-customer-");
    }

    public static Optional<CustomerKey> copySourceCustomerKey(S3Request request, boolean allowSseCOverHttp) {
        return trio(request, "x-amz-copy-source-server-side-encryption-customer-");
    }

    public static void refuseWriteOnlyHeaders(S3Request request) {
        if (request.header("x-amz-server-side-encryption") != null) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-server-side-encryption header is not supported for this operation.");
        }
    }

    private static Optional<CustomerKey> trio(S3Request request, String prefix) {
        String key = request.header(prefix + "key");
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(new CustomerKey(SecretBytes.takeOwnership(Base64.getDecoder().decode(key)), request.header(prefix + "key-MD5")));
    }
}

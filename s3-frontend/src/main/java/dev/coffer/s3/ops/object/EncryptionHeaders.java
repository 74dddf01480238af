package dev.coffer.s3.ops.object;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.List;

/**
 * Server-side encryption request headers. Until the SSE data path exists, a request asking for
 * encryption is refused with NotImplemented: storing the object in the clear while the client
 * believes it encrypted would be the worst possible answer.
 */
public final class EncryptionHeaders {
    private static final List<String> REQUEST_HEADERS = List.of("x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-context",
            "x-amz-server-side-encryption-bucket-key-enabled", "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-server-side-encryption-customer-key", "x-amz-server-side-encryption-customer-key-MD5",
            "x-amz-copy-source-server-side-encryption-customer-algorithm",
            "x-amz-copy-source-server-side-encryption-customer-key",
            "x-amz-copy-source-server-side-encryption-customer-key-MD5");

    private EncryptionHeaders() {
    }

    public static void refuseUntilSupported(S3Request request) {
        for (String header : REQUEST_HEADERS) {
            if (request.header(header) != null) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Server-side encryption (" + header
                        + ") is not implemented by this Coffer version; nothing was stored.").with("Header", header);
            }
        }
    }
}

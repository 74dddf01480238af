package dev.coffer.s3.ops;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.Locale;
import java.util.Map;

/**
 * Operations AWS models with {@code requestChecksumRequired} (PutBucketEncryption, DeleteObjects,
 * PutBucketLifecycle...) refuse a body that carries neither Content-MD5 nor an x-amz-checksum-*
 * (in a header, or announced for a trailer). The value itself is verified as the body is read.
 */
public final class RequestIntegrity {
    private RequestIntegrity() {
    }

    /** 400 InvalidRequest "Missing required header for this request: Content-MD5" (AWS's text) unless one is present. */
    public static void requireContentMd5OrChecksum(S3Request request) {
        if (request.header("Content-MD5") != null) {
            return;
        }
        for (Map.Entry<String, String> header : request.head().headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-type") && !name.equals("x-amz-checksum-mode")
                    || name.equals("x-amz-trailer") || name.equals("x-amz-sdk-checksum-algorithm")) {
                return;
            }
        }
        throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
    }
}

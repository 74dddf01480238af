package dev.coffer.s3.http;

import dev.coffer.auth.service.RequestHead;
import dev.coffer.auth.sigv4.AwsChunkedInputStream;
import dev.coffer.auth.sigv4.ChunkSigningContext;
import dev.coffer.auth.sigv4.StreamingPayloadMode;
import dev.coffer.s3.auth.S3Authenticator;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.io.InputStream;
import java.util.Map;

/**
 * A request body as the client meant it. x-amz-content-sha256 says how it travels: a hex SHA-256
 * (verified as it streams), UNSIGNED-PAYLOAD, or aws-chunked (STREAMING-...: chunk and trailer
 * signatures verified as it streams, trailers such as x-amz-checksum-crc32 available at the end).
 *
 * @param decodedLength the length of the decoded body, or -1 if the client did not say
 */
public record S3Payload(InputStream stream, long decodedLength, AwsChunkedInputStream chunked) {
    public static S3Payload of(RequestHead head, S3Caller caller, InputStream raw) {
        String declared = head.header(S3Authenticator.CONTENT_SHA256);
        long contentLength = parseLength(head.header("Content-Length"), "Content-Length");
        if (declared == null) {
            return new S3Payload(limited(raw, contentLength), contentLength, null);
        }
        StreamingPayloadMode mode;
        try {
            mode = StreamingPayloadMode.fromContentSha256(declared);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument(e.getMessage(), "x-amz-content-sha256", declared);
        }
        if (mode == StreamingPayloadMode.UNSIGNED_PAYLOAD) {
            return new S3Payload(limited(raw, contentLength), contentLength, null);
        }
        if (mode == StreamingPayloadMode.PAYLOAD_SHA256) {
            return new S3Payload(new Sha256VerifyingInputStream(limited(raw, contentLength), declared), contentLength, null);
        }
        long decoded = parseLength(head.header("x-amz-decoded-content-length"), "x-amz-decoded-content-length");
        if (decoded < 0) {
            throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
        }
        ChunkSigningContext signing = null;
        if (mode.signedChunks()) {
            if (caller.isAnonymous()) {
                throw new S3Exception(S3Error.ACCESS_DENIED, "Signed aws-chunked bodies need a signed request.");
            }
            signing = ChunkSigningContext.of(caller.verified());
        }
        AwsChunkedInputStream chunked = new AwsChunkedInputStream(limited(raw, contentLength), mode, signing, decoded);
        return new S3Payload(new ChunkedBodyErrors(chunked), decoded, chunked);
    }

    /** Trailing headers of an aws-chunked body (lower-case names), once it has been read to the end. */
    public Map<String, String> trailers() {
        return chunked == null ? Map.of() : chunked.trailers();
    }

    private static InputStream limited(InputStream raw, long contentLength) {
        return contentLength < 0 ? raw : new LengthLimitedInputStream(raw, contentLength);
    }

    private static long parseLength(String value, String header) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, header + " is not a valid length").with("ArgumentName", header)
                    .with("ArgumentValue", value);
        }
    }
}

package dev.coffer.s3.http;

import dev.coffer.auth.sigv4.AwsChunkedException;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Turns an aws-chunked decoding failure into the S3 error AWS answers with, as the body is read. */
final class ChunkedBodyErrors extends FilterInputStream {
    ChunkedBodyErrors(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (AwsChunkedException e) {
            throw translate(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (AwsChunkedException e) {
            throw translate(e);
        }
    }

    static S3Exception translate(AwsChunkedException e) {
        return switch (e.kind()) {
            case CHUNK_SIGNATURE_MISMATCH, TRAILER_SIGNATURE_MISMATCH -> new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided for a chunk of the body.");
            case DECODED_LENGTH_MISMATCH, INCOMPLETE_BODY -> new S3Exception(S3Error.INCOMPLETE_BODY);
            case MALFORMED -> new S3Exception(S3Error.INVALID_REQUEST, "The aws-chunked body is malformed: " + e.getMessage());
        };
    }
}

package dev.coffer.s3.http;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Exactly {@code length} bytes of a body: ending early is IncompleteBody (the client hung up or
 * lied about Content-Length), so a short upload is never stored as a short object.
 */
public final class LengthLimitedInputStream extends FilterInputStream {
    private long remaining;

    public LengthLimitedInputStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new S3Exception(S3Error.INCOMPLETE_BODY);
        }
        remaining -= n;
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

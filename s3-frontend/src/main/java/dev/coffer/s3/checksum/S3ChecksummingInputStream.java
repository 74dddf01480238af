package dev.coffer.s3.checksum;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a body through unchanged while feeding every byte read to an {@link S3ChecksumSet}. */
public final class S3ChecksummingInputStream extends FilterInputStream {
    private static final int SKIP_BUFFER_BYTES = 8192;
    private final S3ChecksumSet checksums;
    private final byte[] oneByte = new byte[1];

    public S3ChecksummingInputStream(InputStream in, S3ChecksumSet checksums) {
        super(in);
        this.checksums = checksums;
    }

    public S3ChecksumSet checksums() {
        return checksums;
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(oneByte, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : oneByte[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            checksums.update(b, off, n);
        }
        return n;
    }

    /** Skipped bytes must still reach the checksums, so skipping reads them. */
    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        byte[] discard = new byte[(int) Math.min(n, SKIP_BUFFER_BYTES)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // Re-reading bytes would count them twice in the checksums.
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("a checksumming stream cannot be reset");
    }
}

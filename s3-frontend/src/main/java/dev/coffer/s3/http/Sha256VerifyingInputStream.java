package dev.coffer.s3.http;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A body whose SHA-256 the client signed (x-amz-content-sha256 with a hex hash): bytes stream
 * through while the hash is computed, and reaching the end with another hash fails with
 * XAmzContentSHA256Mismatch. The caller commits nothing before the end, so a body that does not
 * match is never stored.
 */
public final class Sha256VerifyingInputStream extends FilterInputStream {
    private final MessageDigest sha256;
    private final byte[] expected;
    private boolean verified;

    public Sha256VerifyingInputStream(InputStream in, String expectedHex) {
        super(in);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        try {
            this.expected = HexFormat.of().parseHex(expectedHex);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 in hex")
                    .with("ArgumentName", "x-amz-content-sha256");
        }
        if (expected.length != 32) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 in hex")
                    .with("ArgumentName", "x-amz-content-sha256");
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
        } else if (n < 0 && !verified) {
            verified = true;
            if (!MessageDigest.isEqual(sha256.digest(), expected)) {
                throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH)
                        .with("ClientComputedContentSHA256", HexFormat.of().formatHex(expected));
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
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
}

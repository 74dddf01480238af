package dev.coffer.s3.ops.object;

import dev.coffer.s3.checksum.S3Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Streams stored bytes into a new object or part (CopyObject, UploadPartCopy) with bounded memory,
 * computing the MD5 that becomes its ETag and, if asked, a checksum, in the same pass.
 */
public final class StoredCopy {
    private static final int BUFFER_BYTES = 64 * 1024;

    private StoredCopy() {
    }

    /**
     * @param checksum updated with every byte, or null
     * @param md5ETag whether the ETag is the MD5 of the bytes (plain, SSE-S3) or random (SSE-KMS, SSE-C)
     * @return the ETag's 16 bytes: the MD5 of what was copied, or random
     */
    public static byte[] copy(InputStream in, BodyIngest.Sink writer, S3Checksum checksum, boolean md5ETag) throws IOException {
        MessageDigest md5 = md5ETag ? BodyIngest.md5() : null;
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (md5 != null) {
                md5.update(buffer, 0, n);
            }
            if (checksum != null) {
                checksum.update(buffer, 0, n);
            }
            writer.write(buffer, 0, n);
        }
        return md5 != null ? md5.digest() : BodyIngest.randomETag();
    }
}

package dev.coffer.s3.ops.object;

import dev.coffer.s3.checksum.S3Checksum;
import dev.coffer.s3.engine.ObjectWriter;
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
     * @return the MD5 of what was copied
     */
    public static byte[] copy(InputStream in, ObjectWriter writer, S3Checksum checksum) throws IOException {
        MessageDigest md5 = BodyIngest.md5();
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) > 0) {
            md5.update(buffer, 0, n);
            if (checksum != null) {
                checksum.update(buffer, 0, n);
            }
            writer.write(buffer, 0, n);
        }
        return md5.digest();
    }
}

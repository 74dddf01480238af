package dev.coffer.s3.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How bucket names, object keys, upload ids and part numbers become metadata keys
 * (docs/formats/s3-engine-v1.md). Object and upload entries of a bucket share the prefix
 * {@code bucket '/'}, which no other bucket's entries have because bucket names never contain '/'.
 */
final class StorageKeys {
    private static final byte SLASH = '/';
    /** Separates a key from its upload id: it sorts below every byte a key continues with, so uploads order by key first. */
    private static final byte KEY_END = 0x00;

    private StorageKeys() {
    }

    static byte[] bucket(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a bucket name must be non-empty and contain no '/'");
        }
        return utf8(name);
    }

    /** {@code bucket '/'}: the prefix of every object and upload entry of the bucket. */
    static byte[] bucketPrefix(String bucket) {
        return concat(bucket(bucket), new byte[] {SLASH});
    }

    static byte[] object(String bucket, String key) {
        return concat(bucketPrefix(bucket), objectKey(key));
    }

    static byte[] upload(String bucket, String key, String uploadId) {
        return concat(bucketPrefix(bucket), objectKey(key), new byte[] {KEY_END}, utf8(uploadId));
    }

    /** The first upload entry key that sorts after every upload of {@code key}. */
    static byte[] afterUploadsOf(byte[] bucketPrefix, byte[] key) {
        return concat(bucketPrefix, key, new byte[] {KEY_END + 1});
    }

    /** Splits the tail of an upload entry (after the bucket prefix) into key bytes and upload id. */
    static String[] splitUpload(byte[] tail) {
        int keyEnd = tail.length - UploadIds.LENGTH - 1;
        if (keyEnd < 1 || tail[keyEnd] != KEY_END) {
            throw BinaryIn.corrupt("malformed upload entry key");
        }
        return new String[] {
            new String(tail, 0, keyEnd, StandardCharsets.UTF_8),
            new String(tail, keyEnd + 1, UploadIds.LENGTH, StandardCharsets.US_ASCII)};
    }

    /** {@code uploadId || partNumber (uint32)}: upload ids are globally unique and of one length. */
    static byte[] part(String uploadId, int partNumber) {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part numbers start at 1");
        }
        byte[] id = partsPrefix(uploadId);
        byte[] out = Arrays.copyOf(id, id.length + 4);
        for (int i = 0; i < 4; i++) {
            out[id.length + i] = (byte) (partNumber >>> (24 - 8 * i));
        }
        return out;
    }

    static byte[] partsPrefix(String uploadId) {
        return uploadId.getBytes(StandardCharsets.US_ASCII);
    }

    static int partNumber(byte[] partKey) {
        if (partKey.length != UploadIds.LENGTH + 4) {
            throw BinaryIn.corrupt("malformed part entry key");
        }
        int n = 0;
        for (int i = UploadIds.LENGTH; i < partKey.length; i++) {
            n = (n << 8) | (partKey[i] & 0xff);
        }
        return n;
    }

    static byte[] objectKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("an object key must be non-empty");
        }
        return utf8(key);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] tail(byte[] bytes, int from) {
        return Arrays.copyOfRange(bytes, from, bytes.length);
    }

    /**
     * The smallest byte string greater than every string that starts with {@code prefix}, or null
     * if there is none (all 0xff). Seeking there skips a whole common prefix in one step.
     */
    static byte[] successor(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xff) {
            last--;
        }
        if (last < 0) {
            return null;
        }
        byte[] out = Arrays.copyOf(prefix, last + 1);
        out[last]++;
        return out;
    }
}

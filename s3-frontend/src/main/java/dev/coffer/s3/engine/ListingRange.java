package dev.coffer.s3.engine;

import java.util.Arrays;

/**
 * What S3 listings of objects and of uploads share, on UTF-8 bytes: a prefix, a delimiter that rolls
 * keys up into common prefixes, and a marker after which results start. Every result on a page
 * (key or common prefix) sorts after the marker, so a page continued from its last result neither
 * repeats nor skips anything.
 */
record ListingRange(byte[] prefix, byte[] delimiter) {
    static ListingRange of(String prefix, String delimiter) {
        return new ListingRange(prefix == null ? new byte[0] : StorageKeys.utf8(prefix),
                delimiter == null || delimiter.isEmpty() ? null : StorageKeys.utf8(delimiter));
    }

    /** The common prefix {@code key} rolls up into, or null if it is listed as itself. */
    byte[] commonPrefix(byte[] key) {
        if (delimiter == null || !StorageKeys.startsWith(key, prefix)) {
            return null;
        }
        int at = indexOf(key, delimiter, prefix.length);
        return at < 0 ? null : Arrays.copyOf(key, at + delimiter.length);
    }

    /**
     * Where results after {@code marker} begin, relative to the bucket: the marker itself (to skip if
     * present) or, when the marker falls in a common prefix, past that whole prefix, since every key
     * under it rolls up into a prefix that sorts at or before the marker.
     */
    Start startAfter(byte[] marker) {
        if (marker == null || Arrays.compareUnsigned(marker, prefix) < 0) {
            return new Start(prefix, false);
        }
        byte[] rolled = commonPrefix(marker);
        if (rolled != null) {
            return new Start(StorageKeys.successor(rolled), false);
        }
        return new Start(marker, true);
    }

    /** Seek here; when {@code exclusive}, an entry equal to it is not part of the results. */
    record Start(byte[] key, boolean exclusive) {
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

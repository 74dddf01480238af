package dev.coffer.blockstore.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the {@code meta} column family (volume-engine-v2.md): a one-byte kind, then the id
 * (a big-endian uint64 space id, or the UTF-8 volume or snapshot id).
 */
final class MetadataKeys {
    /** The format version of the whole store; value: one byte, {@link #FORMAT_VERSION}. */
    static final byte[] FORMAT = "!format".getBytes(StandardCharsets.US_ASCII);
    /** The next space id to allocate; value: uint64. */
    static final byte[] NEXT_SPACE_ID = "!next-space".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 2;
    /** Stores of this version hold block values inline only; opening one upgrades it to {@link #FORMAT_VERSION} in place. */
    static final int FORMAT_VERSION_INLINE_ONLY = 1;

    static final byte SPACE = 'S';
    static final byte VOLUME = 'V';
    static final byte SNAPSHOT = 'N';
    /** A space whose garbage is still to be collected (set in the batch that removes a view). */
    static final byte PENDING_GC = 'G';
    /** A space being filled by a copy; if the store opens with it still present, the copy died. */
    static final byte PENDING_COPY = 'C';

    private MetadataKeys() {
    }

    static byte[] space(long spaceId) {
        return withId(SPACE, spaceId);
    }

    static byte[] pendingGc(long spaceId) {
        return withId(PENDING_GC, spaceId);
    }

    static byte[] pendingCopy(long spaceId) {
        return withId(PENDING_COPY, spaceId);
    }

    static byte[] volume(String volumeId) {
        return withName(VOLUME, volumeId);
    }

    static byte[] snapshot(String snapshotId) {
        return withName(SNAPSHOT, snapshotId);
    }

    static long idOf(byte[] key) {
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    static String nameOf(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    static byte[] uint64(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static byte[] withId(byte kind, long id) {
        return ByteBuffer.allocate(9).put(kind).putLong(id).array();
    }

    private static byte[] withName(byte kind, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(new byte[] {kind}, 1 + utf8.length);
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        return key;
    }
}

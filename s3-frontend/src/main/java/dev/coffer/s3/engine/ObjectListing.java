package dev.coffer.s3.engine;

import dev.coffer.auth.store.KeyValueStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ListObjects over the objects table: one cursor, one seek per common prefix instead of a walk through its keys. */
final class ObjectListing {
    private ObjectListing() {
    }

    static ListPage list(KeyValueStore meta, String bucket, String prefix, String delimiter, String startAfter, int maxKeys) {
        if (maxKeys < 0) {
            throw new IllegalArgumentException("maxKeys must not be negative");
        }
        ListingRange range = ListingRange.of(prefix, delimiter);
        ListingRange.Start start = range.startAfter(startAfter == null || startAfter.isEmpty() ? null : StorageKeys.utf8(startAfter));
        if (maxKeys == 0 || start.key() == null) {
            return new ListPage(List.of(), List.of(), false, null);
        }
        byte[] base = StorageKeys.bucketPrefix(bucket);
        byte[] within = StorageKeys.concat(base, range.prefix());
        return meta.read(EngineTables.OBJECTS, cursor -> {
            List<ObjectSummary> objects = new ArrayList<>();
            List<String> commonPrefixes = new ArrayList<>();
            String last = null;
            boolean truncated = false;
            byte[] seekTo = StorageKeys.concat(base, start.key());
            cursor.seek(seekTo);
            if (start.exclusive() && cursor.valid() && Arrays.equals(cursor.key(), seekTo)) {
                cursor.next();
            }
            while (cursor.valid()) {
                byte[] entry = cursor.key();
                if (!StorageKeys.startsWith(entry, within)) {
                    break;
                }
                if (objects.size() + commonPrefixes.size() == maxKeys) {
                    truncated = true;
                    break;
                }
                byte[] key = StorageKeys.tail(entry, base.length);
                byte[] rolled = range.commonPrefix(key);
                if (rolled == null) {
                    last = StorageKeys.string(key);
                    objects.add(cursor.value().toSummary(last));
                    cursor.next();
                } else {
                    last = StorageKeys.string(rolled);
                    commonPrefixes.add(last);
                    byte[] past = StorageKeys.successor(rolled);
                    if (past == null) {
                        break;
                    }
                    cursor.seek(StorageKeys.concat(base, past));
                }
            }
            return new ListPage(objects, commonPrefixes, truncated, last);
        });
    }
}

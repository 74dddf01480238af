package dev.coffer.s3.engine;

import dev.coffer.auth.store.KeyValueStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ListMultipartUploads over the uploads table. Entries sort by key and then by upload id, whose
 * leading hex timestamp makes that initiation order. With a key marker and no upload-id marker,
 * results start at the next key; with both, at the marker key's uploads after that id.
 */
final class UploadListing {
    private UploadListing() {
    }

    static UploadsPage list(KeyValueStore meta, String bucket, String prefix, String delimiter, String keyMarker,
                            String uploadIdMarker, int maxUploads) {
        if (maxUploads < 0) {
            throw new IllegalArgumentException("maxUploads must not be negative");
        }
        ListingRange range = ListingRange.of(prefix, delimiter);
        byte[] marker = keyMarker == null || keyMarker.isEmpty() ? null : StorageKeys.utf8(keyMarker);
        ListingRange.Start start = range.startAfter(marker);
        if (maxUploads == 0 || start.key() == null) {
            return new UploadsPage(List.of(), List.of(), false, null, null);
        }
        byte[] base = StorageKeys.bucketPrefix(bucket);
        byte[] seekTo;
        boolean exclusive = false;
        if (!start.exclusive()) {
            seekTo = StorageKeys.concat(base, start.key());
        } else if (uploadIdMarker == null || uploadIdMarker.isEmpty()) {
            seekTo = StorageKeys.afterUploadsOf(base, marker);
        } else {
            seekTo = StorageKeys.concat(base, marker, new byte[] {0}, StorageKeys.utf8(uploadIdMarker));
            exclusive = true;
        }
        byte[] within = StorageKeys.concat(base, range.prefix());
        boolean skipEqual = exclusive;
        return meta.read(EngineTables.UPLOADS, cursor -> {
            List<UploadRecord> uploads = new ArrayList<>();
            List<String> commonPrefixes = new ArrayList<>();
            String lastKey = null;
            String lastUploadId = null;
            boolean truncated = false;
            cursor.seek(seekTo);
            if (skipEqual && cursor.valid() && Arrays.equals(cursor.key(), seekTo)) {
                cursor.next();
            }
            while (cursor.valid()) {
                byte[] entry = cursor.key();
                if (!StorageKeys.startsWith(entry, within)) {
                    break;
                }
                if (uploads.size() + commonPrefixes.size() == maxUploads) {
                    truncated = true;
                    break;
                }
                String[] keyAndId = StorageKeys.splitUpload(StorageKeys.tail(entry, base.length));
                byte[] rolled = range.commonPrefix(StorageKeys.utf8(keyAndId[0]));
                if (rolled == null) {
                    lastKey = keyAndId[0];
                    lastUploadId = keyAndId[1];
                    uploads.add(cursor.value().toRecord(bucket, lastKey, lastUploadId));
                    cursor.next();
                } else {
                    lastKey = StorageKeys.string(rolled);
                    lastUploadId = null;
                    commonPrefixes.add(lastKey);
                    byte[] past = StorageKeys.successor(rolled);
                    if (past == null) {
                        break;
                    }
                    cursor.seek(StorageKeys.concat(base, past));
                }
            }
            return new UploadsPage(uploads, commonPrefixes, truncated, lastKey, lastUploadId);
        });
    }
}

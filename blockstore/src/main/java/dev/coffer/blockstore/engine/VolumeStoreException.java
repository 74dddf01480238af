package dev.coffer.blockstore.engine;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** The volume engine's storage failed (a RocksDB error, or stored metadata it cannot read). */
public final class VolumeStoreException extends RuntimeException {
    public VolumeStoreException(String message) {
        super(message);
    }

    public VolumeStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Translates a RocksDB failure once, keeping its status code in the message. */
    static VolumeStoreException of(String operation, RocksDBException e) {
        return new VolumeStoreException(operation + " failed: " + describe(e), e);
    }

    /** A failure of the block log's files. */
    static VolumeStoreException io(String operation, java.io.IOException e) {
        return new VolumeStoreException(operation + " failed: " + e.getMessage(), e);
    }

    static String describe(RocksDBException e) {
        Status status = e.getStatus();
        return status == null ? String.valueOf(e.getMessage())
                : status.getCode() + (status.getState() == null ? "" : " (" + status.getState() + ")");
    }
}

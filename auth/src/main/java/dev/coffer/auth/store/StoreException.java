package dev.coffer.auth.store;

/**
 * A metadata store failure, translated once from RocksDB (keeping its status) so callers never see
 * {@code RocksDBException}.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it was. */
    public enum Kind {
        /** I/O error, disk full, or another engine error. */
        IO,
        /** The store is locked by another process or already open. */
        BUSY,
        /** Stored bytes do not decode. */
        CORRUPT,
        /** The store was closed. */
        CLOSED
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

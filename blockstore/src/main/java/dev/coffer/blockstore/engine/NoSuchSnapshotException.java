package dev.coffer.blockstore.engine;

import java.util.NoSuchElementException;

/** No snapshot has this id. */
public final class NoSuchSnapshotException extends NoSuchElementException {
    public NoSuchSnapshotException(String snapshotId) {
        super("no snapshot " + snapshotId);
    }
}

package dev.coffer.blockstore.engine;

import java.util.NoSuchElementException;

/** No volume has this id. */
public final class NoSuchVolumeException extends NoSuchElementException {
    public NoSuchVolumeException(String volumeId) {
        super("no volume " + volumeId);
    }
}

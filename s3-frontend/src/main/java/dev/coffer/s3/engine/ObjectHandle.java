package dev.coffer.s3.engine;

import java.io.InputStream;
import java.util.List;

/**
 * An object opened for reading: its record and its bytes as they were when it was opened. A later
 * overwrite or delete of the object does not affect a handle already open. Close it to release its
 * files.
 */
public interface ObjectHandle extends AutoCloseable {
    ObjectRecord record();

    /** The object's bytes in order: one extent per part, or one for a single PUT. */
    List<DataExtent> extents();

    /**
     * A stream over {@code length} bytes of the object from {@code offset}; valid until the handle
     * is closed. A stored file found shorter than its record reads as an {@link java.io.IOException}.
     */
    InputStream openStream(long offset, long length);

    @Override
    void close();
}

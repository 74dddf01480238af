package dev.coffer.s3.engine;

import java.io.InputStream;
import java.util.List;

/** A handle whose file channels were opened while the object's record was current. */
final class EmbeddedObjectHandle implements ObjectHandle {
    private final ObjectRecord record;
    private final List<DataExtent> extents;

    EmbeddedObjectHandle(ObjectRecord record, List<DataExtent> extents) {
        this.record = record;
        this.extents = List.copyOf(extents);
    }

    @Override
    public ObjectRecord record() {
        return record;
    }

    @Override
    public List<DataExtent> extents() {
        return extents;
    }

    @Override
    public InputStream openStream(long offset, long length) {
        if (offset < 0 || length < 0 || offset > record.size() - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " is outside an object of "
                    + record.size() + " bytes");
        }
        return new ExtentInputStream(extents, offset, length);
    }

    @Override
    public void close() {
        closeAll(extents);
    }

    static void closeAll(List<DataExtent> extents) {
        for (DataExtent e : extents) {
            if (e instanceof DataExtent.FileExtent file) {
                DataFiles.closeQuietly(file.channel());
            }
        }
    }
}

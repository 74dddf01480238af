package dev.coffer.s3.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A range of an object's logical bytes read across its extents. File extents are read with
 * positional reads, so any number of streams can share a handle's channels.
 */
final class ExtentInputStream extends InputStream {
    private final List<DataExtent> extents;
    private int extent;
    private long offsetInExtent;
    private long remaining;

    ExtentInputStream(List<DataExtent> extents, long offset, long length) {
        this.extents = extents;
        this.remaining = length;
        long skip = offset;
        while (extent < extents.size() && skip >= extents.get(extent).length() && skip > 0) {
            skip -= extents.get(extent).length();
            extent++;
        }
        this.offsetInExtent = skip;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        skipFinishedExtents();
        DataExtent current = extents.get(extent);
        int n = (int) Math.min(len, Math.min(remaining, current.length() - offsetInExtent));
        switch (current) {
            case DataExtent.Inline inline -> inline.buffer().get((int) offsetInExtent, b, off, n);
            case DataExtent.FileExtent file -> n = readFile(file, b, off, n);
        }
        offsetInExtent += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = 0;
        while (skipped < n && remaining > 0) {
            skipFinishedExtents();
            long step = Math.min(n - skipped, Math.min(remaining, extents.get(extent).length() - offsetInExtent));
            offsetInExtent += step;
            remaining -= step;
            skipped += step;
        }
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private void skipFinishedExtents() {
        while (offsetInExtent == extents.get(extent).length()) {
            extent++;
            offsetInExtent = 0;
        }
    }

    private int readFile(DataExtent.FileExtent file, byte[] b, int off, int n) throws IOException {
        int read = file.channel().read(ByteBuffer.wrap(b, off, n), file.position() + offsetInExtent);
        if (read < 0) {
            throw new EOFException("a data file ended before the length its record gives");
        }
        return read;
    }
}

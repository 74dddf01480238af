package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamReader;
import dev.coffer.s3.engine.DataExtent;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.PartInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The plaintext of an encrypted object, or any byte range of it: each part (or the one stream of an
 * object written whole) is its own object stream, and only the segments a range touches are read
 * and verified. A stream whose stored size does not match the record's plaintext size is refused
 * before a byte is served.
 */
public final class ObjectPlaintext {
    private ObjectPlaintext() {
    }

    /** The stream of plaintext bytes {@code [first, first + length)}; the handle must stay open while it is read. */
    public static InputStream open(ObjectHandle handle, SecretBytes dataKey, long first, long length) throws IOException {
        ObjectRecord record = handle.record();
        List<DataExtent> extents = handle.extents();
        List<Piece> pieces = new ArrayList<>();
        if (record.parts().isEmpty()) {
            pieces.add(new Piece(extents.getFirst(), 0, record.size()));
        } else {
            for (int i = 0; i < record.parts().size(); i++) {
                PartInfo part = record.parts().get(i);
                pieces.add(new Piece(extents.get(i), part.partNumber(), part.size()));
            }
        }
        List<InputStream> streams = new ArrayList<>();
        long skip = first;
        long remaining = length;
        for (Piece piece : pieces) {
            if (remaining == 0) {
                break;
            }
            if (skip >= piece.plaintextSize) {
                skip -= piece.plaintextSize;
                continue;
            }
            long n = Math.min(piece.plaintextSize - skip, remaining);
            streams.add(new LazyRange(piece, dataKey, record.bucket(), record.key(), skip, skip + n));
            remaining -= n;
            skip = 0;
        }
        if (remaining != 0) {
            throw new IOException("encrypted object data is shorter than its recorded size");
        }
        return new Concatenated(streams);
    }

    private record Piece(DataExtent extent, int partNumber, long plaintextSize) {
    }

    private static CiphertextSource source(DataExtent extent) {
        return switch (extent) {
            case DataExtent.Inline inline -> CiphertextSource.of(inline.bytes());
            case DataExtent.FileExtent file -> CiphertextSource.of(file.channel(), file.position(), file.length());
        };
    }

    /** One part's range, opened (header read, key derived) only when the reader reaches it. */
    private static final class LazyRange extends InputStream {
        private final Piece piece;
        private final SecretBytes dataKey;
        private final String bucket;
        private final String key;
        private final long from;
        private final long to;
        private ObjectStreamReader reader;
        private InputStream range;

        LazyRange(Piece piece, SecretBytes dataKey, String bucket, String key, long from, long to) {
            this.piece = piece;
            this.dataKey = dataKey;
            this.bucket = bucket;
            this.key = key;
            this.from = from;
            this.to = to;
        }

        private InputStream range() throws IOException {
            if (range == null) {
                reader = ObjectStreamReader.open(dataKey, ObjectKeys.associatedData(bucket, key, piece.partNumber),
                        source(piece.extent), piece.extent.length());
                if (reader.plaintextSize() != piece.plaintextSize) {
                    throw new IOException("stored stream holds " + reader.plaintextSize() + " bytes where its record says "
                            + piece.plaintextSize);
                }
                range = reader.openRange(from, to);
            }
            return range;
        }

        @Override
        public int read() throws IOException {
            return range().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return range().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (range != null) {
                range.close();
            }
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** The ranges in order; each is closed once read to its end. */
    private static final class Concatenated extends InputStream {
        private final List<InputStream> streams;
        private int current;

        Concatenated(List<InputStream> streams) {
            this.streams = streams;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current < streams.size()) {
                int n = streams.get(current).read(b, off, len);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    streams.get(current).close();
                    current++;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (int i = current; i < streams.size(); i++) {
                try {
                    streams.get(i).close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            current = streams.size();
            if (first != null) {
                throw first;
            }
        }
    }
}

package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The block log (volume-engine-v2.md): append-only segment files holding block records
 * ({@link LogRecord}), which the {@code blocks} column family points into ({@link LogPointer}). A
 * block's bytes are written once, by one positional write of a whole request's records; RocksDB
 * keeps only the 13-byte pointers. Thread-safe: appends reserve their range under a short lock and
 * write outside it, so concurrent requests write in parallel.
 *
 * <p>Durability is the caller's: {@link #sync()} makes every append that returned before it durable
 * (the engine syncs the log before RocksDB's WAL, so a durable pointer never points at bytes that
 * are not). A new segment's directory entry is synced when the segment is created. Every open
 * starts a new segment, so a torn tail of the last run's segment is never appended to.
 *
 * <p>Segments are never rewritten: {@link BlockLogCleaner} moves a segment's live records to the
 * active segment and then {@link #delete}s it.
 */
final class BlockLog implements AutoCloseable {
    static final String DIRECTORY = "blocklog";
    private static final String SUFFIX = ".seg";

    private final Path directory;
    private final long segmentTargetBytes;
    private final ConcurrentSkipListMap<Integer, Segment> segments = new ConcurrentSkipListMap<>();
    private final Object appendLock = new Object();
    /** Guarded by {@link #appendLock}. */
    private Segment active;
    /** Guarded by {@link #appendLock}. */
    private long activeEnd;
    /** Called (on the appending thread, outside the lock) each time a segment fills and a new one starts. */
    private volatile Runnable onRoll = () -> { };
    private volatile boolean closed;

    private BlockLog(Path directory, long segmentTargetBytes) {
        this.directory = directory;
        this.segmentTargetBytes = segmentTargetBytes;
    }

    /** Opens the log in {@code directory} (created if missing) and starts a new active segment. */
    static BlockLog open(Path directory, long segmentTargetBytes) throws IOException {
        Files.createDirectories(directory);
        BlockLog log = new BlockLog(directory, segmentTargetBytes);
        try {
            int last = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
                for (Path file : files) {
                    int id = parseId(file);
                    log.segments.put(id, Segment.open(id, file, false));
                    last = Math.max(last, id);
                }
            }
            synchronized (log.appendLock) {
                log.startSegment(last + 1);
            }
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Sets what runs after a segment fills (the store schedules a cleaning pass). */
    void onRoll(Runnable action) {
        onRoll = action;
    }

    /**
     * Appends {@code data[offset, +length)} as one positional write; returns where it starts as
     * {@link #position}: segment id in the high 32 bits, byte offset in the low 32.
     */
    long append(byte[] data, int offset, int length) throws IOException {
        Segment segment;
        long at;
        boolean rolled = false;
        synchronized (appendLock) {
            ensureOpen();
            if (activeEnd >= segmentTargetBytes) {
                startSegment(active.id + 1);
                rolled = true;
            }
            segment = active;
            at = activeEnd;
            // Written under the lock: the kernel serialises buffered writes to one file on its inode
            // lock anyway, and writers queued here park, where writers queued there spin on it.
            segment.writeFully(data, offset, length, at);
            activeEnd += length;
            segment.dirty = true;
        }
        if (rolled) {
            onRoll.run();
        }
        return position(segment.id, at);
    }

    /** Reads exactly {@code length} bytes at {@code offset} of segment {@code segmentId}. */
    void read(int segmentId, long offset, byte[] into, int intoOffset, int length) throws IOException {
        Segment segment = segments.get(segmentId);
        if (segment == null) {
            throw new IOException("block log segment " + segmentId + " does not exist");
        }
        segment.readFully(into, intoOffset, length, offset);
    }

    /**
     * {@link #read}, but only from the page cache, never waiting for the disk (see
     * {@link NativeFiles#readIfCached}); returns false where that is not possible.
     */
    boolean readWithoutWaiting(int segmentId, long offset, byte[] into, int intoOffset, int length) {
        Segment segment = segments.get(segmentId);
        return segment != null && NativeFiles.readIfCached(segment.fd, into, intoOffset, length, offset);
    }

    /** Makes every append that has returned durable: an fdatasync of each segment written since the last sync. */
    void sync() throws IOException {
        for (Segment segment : segments.values()) {
            segment.sync();
        }
    }

    /** The id of the segment appends go to now; it is never a cleaning candidate. */
    int activeSegmentId() {
        synchronized (appendLock) {
            return active.id;
        }
    }

    /** Every segment's id and size in bytes, the active one included. */
    Map<Integer, Long> segmentSizes() throws IOException {
        Map<Integer, Long> sizes = new ConcurrentHashMap<>();
        for (Segment segment : segments.values()) {
            sizes.put(segment.id, segment.size());
        }
        return sizes;
    }

    /**
     * Removes a segment nothing points into any more: closes it, deletes its file and syncs the
     * directory. The caller guarantees no reader still holds a pointer into it.
     */
    void delete(int segmentId) throws IOException {
        synchronized (appendLock) {
            if (active != null && active.id == segmentId) {
                throw new IllegalArgumentException("segment " + segmentId + " is the active segment");
            }
        }
        Segment segment = segments.remove(segmentId);
        if (segment == null) {
            return;
        }
        segment.close();
        Files.deleteIfExists(segment.file);
        syncDirectory();
    }

    static long position(int segmentId, long offset) {
        return ((long) segmentId << 32) | offset;
    }

    static int segmentOf(long position) {
        return (int) (position >>> 32);
    }

    static long offsetOf(long position) {
        return position & 0xFFFF_FFFFL;
    }

    /** Closes every segment; the caller guarantees no append, read or sync is under way or follows. */
    @Override
    public void close() {
        closed = true;
        for (Segment segment : segments.values()) {
            segment.close();
        }
        segments.clear();
    }

    @Override
    public String toString() {
        return "BlockLog[" + directory + ", " + segments.size() + " segments]";
    }

    private void startSegment(int id) throws IOException {
        if (id <= 0) { // past Integer.MAX_VALUE: 2^31 segments of 256 MiB, 512 PiB written
            throw new IOException("block log segment ids are exhausted");
        }
        Segment segment = Segment.open(id, directory.resolve(String.format(Locale.ROOT, "%010d%s", id, SUFFIX)), true);
        segments.put(id, segment);
        syncDirectory();
        active = segment;
        activeEnd = 0;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("block log is closed");
        }
    }

    private static int parseId(Path file) throws IOException {
        String name = file.getFileName().toString();
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() != 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IOException("unexpected file in the block log directory: " + name);
        }
        long id = Long.parseLong(digits);
        if (id <= 0 || id > Integer.MAX_VALUE) {
            throw new IOException("block log segment id out of range: " + name);
        }
        return (int) id;
    }

    /** One segment file, open for the life of the log (or until deleted); I/O through {@link NativeFiles}. */
    private static final class Segment {
        final int id;
        final Path file;
        final int fd;
        volatile boolean dirty;
        private boolean closed;

        private Segment(int id, Path file, int fd) {
            this.id = id;
            this.file = file;
            this.fd = fd;
        }

        static Segment open(int id, Path file, boolean create) throws IOException {
            return new Segment(id, file, NativeFiles.openReadWrite(file, create));
        }

        void writeFully(byte[] data, int offset, int length, long at) throws IOException {
            NativeFiles.writeFully(fd, data, offset, length, at);
        }

        void readFully(byte[] into, int offset, int length, long at) throws IOException {
            NativeFiles.readFully(fd, into, offset, length, at);
        }

        /**
         * fdatasync if anything was appended since the last one. Syncs of one segment take turns: a
         * second caller waits for a sync in progress, then sees whether its own appends (marked
         * dirty after the first one began) still need one.
         */
        synchronized void sync() throws IOException {
            if (dirty && !closed) {
                dirty = false;
                try {
                    NativeFiles.dataSync(fd);
                } catch (IOException e) {
                    dirty = true;
                    throw e;
                }
            }
        }

        long size() throws IOException {
            return Files.size(file);
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                NativeFiles.close(fd);
            }
        }
    }
}

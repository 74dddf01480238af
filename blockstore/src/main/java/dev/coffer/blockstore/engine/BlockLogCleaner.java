package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Reclaims block log segments (volume-engine-v2.md, "Cleaning"). A record is live while some key of
 * the {@code blocks} family points at it; overwrites, trims and garbage collection of spaces only
 * ever drop pointers, so a segment's live bytes only shrink. A pass:
 *
 * <ol>
 *   <li>waits for every write in flight (it takes each space's write lock once), so every append
 *       into a segment other than the active one has its pointer in the table;</li>
 *   <li>sums the live bytes of each segment from the pointers;</li>
 *   <li>for each segment older than the one active when the pass began that is at most
 *       {@link #MAX_LIVE_FRACTION} live, copies its live records verbatim (header, key and CRC
 *       unchanged) to the active segment, syncs the log, and only then repoints their keys, under
 *       the owning space's write lock and only if the key still points at the old place;</li>
 *   <li>syncs the log, then the WAL, waits again for requests in flight (a reader may hold an old
 *       pointer until its request ends), and deletes the segments.</li>
 * </ol>
 *
 * A crash at any point, power loss included, leaves each moved key either with its old pointer
 * (and the segment, not yet deleted) or with a new one whose record is durable; a segment left
 * behind is at most garbage, deleted by the next pass. The caller holds the store's
 * monitor (no space appears or goes) and runs no copy meanwhile (copies read without space locks).
 */
final class BlockLogCleaner {
    /** A segment is cleaned once at most this fraction of its bytes is live: moving costs at most as much as it frees. */
    static final double MAX_LIVE_FRACTION = 0.5;
    private static final int MOVE_CHUNK = 256;
    /** The largest record any space writes: a 64 KiB block sealed (block-seal-v1 adds 45 bytes) with its header. */
    private static final int MAX_RECORD_BYTES = LogRecord.HEADER_BYTES + (64 << 10) + 45;

    /** What a pass did; {@code bytesFreed} counts the deleted segments' bytes less the live records moved out of them. */
    record Result(int segmentsDeleted, long recordsMoved, long bytesFreed) {
    }

    private BlockLogCleaner() {
    }

    static Result clean(EngineDatabase database, Collection<Space> spaces) throws IOException, RocksDBException {
        BlockLog log = database.log();
        int active = log.activeSegmentId();
        quiesce(spaces);
        Map<Integer, Long> sizes = log.segmentSizes();
        Map<Integer, Long> live = liveBytes(database);
        Set<Integer> victims = new HashSet<>();
        for (Map.Entry<Integer, Long> segment : sizes.entrySet()) {
            int id = segment.getKey();
            long liveBytes = live.getOrDefault(id, 0L);
            // Only segments closed for appends before the pass began: quiesce() has let their writes
            // commit their pointers. A newer one (the active one included) may hold records whose
            // pointers are not in the table yet, so it would look dead and be deleted under them.
            if (id < active && liveBytes <= MAX_LIVE_FRACTION * segment.getValue()) {
                victims.add(id);
            }
        }
        if (victims.isEmpty()) {
            return new Result(0, 0, 0);
        }
        Map<Long, Space> byId = new HashMap<>();
        spaces.forEach(space -> byId.put(space.id, space));
        Set<Integer> kept = new HashSet<>();
        Set<Integer> withLiveRecords = new HashSet<>(victims);
        withLiveRecords.retainAll(live.keySet());
        // Wholly dead segments (a volume overwritten or deleted) need no second walk of the table.
        long moved = withLiveRecords.isEmpty() ? 0
                : move(database, pointersInto(database, withLiveRecords), byId, kept);
        database.syncAll();
        quiesce(spaces);
        int deleted = 0;
        long freed = 0;
        for (int id : victims) {
            if (!kept.contains(id)) {
                log.delete(id);
                deleted++;
                freed += sizes.get(id) - live.getOrDefault(id, 0L);
            }
        }
        return new Result(deleted, moved, freed);
    }

    /** Takes and releases every space's write lock: returns once every request that began before has ended. */
    private static void quiesce(Collection<Space> spaces) {
        for (Space space : spaces) {
            Lock exclusive = space.lock.writeLock();
            exclusive.lock();
            exclusive.unlock();
        }
    }

    private static Map<Integer, Long> liveBytes(EngineDatabase database) throws RocksDBException {
        Map<Integer, Long> live = new HashMap<>();
        byte[] value = new byte[LogPointer.SIZE_BYTES];
        try (RocksIterator it = database.newScanIterator(database.blocks())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int size = it.value(value);
                if (LogPointer.is(value, 0, size)) {
                    live.merge(BlockLog.segmentOf(LogPointer.position(value, 0)), (long) LogPointer.recordLength(value, 0),
                            Long::sum);
                }
            }
            it.status();
        }
        return live;
    }

    /** A key and the pointer it held when the table was walked. */
    private record Entry(byte[] key, byte[] pointer) {
        long spaceId() {
            return BlockKeys.spaceId(key);
        }

        int segment() {
            return BlockLog.segmentOf(LogPointer.position(pointer, 0));
        }
    }

    private static List<Entry> pointersInto(EngineDatabase database, Set<Integer> victims) throws RocksDBException {
        List<Entry> entries = new ArrayList<>();
        byte[] value = new byte[LogPointer.SIZE_BYTES];
        try (RocksIterator it = database.newScanIterator(database.blocks())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int size = it.value(value);
                if (LogPointer.is(value, 0, size) && victims.contains(BlockLog.segmentOf(LogPointer.position(value, 0)))) {
                    entries.add(new Entry(it.key(), value.clone()));
                }
            }
            it.status();
        }
        // Space by space, and in log order within a space, so the moves read the old segments sequentially.
        entries.sort(Comparator.comparingLong(Entry::spaceId)
                .thenComparingLong(e -> LogPointer.position(e.pointer(), 0)));
        return entries;
    }

    /** Moves the records still pointed at; a segment whose record cannot be read goes into {@code kept}. */
    private static long move(EngineDatabase database, List<Entry> entries, Map<Long, Space> spaces, Set<Integer> kept)
            throws IOException, RocksDBException {
        ColumnFamilyHandle blocks = database.blocks();
        byte[] current = new byte[LogPointer.SIZE_BYTES];
        byte[] pointer = new byte[LogPointer.SIZE_BYTES];
        long moved = 0;
        int from = 0;
        while (from < entries.size()) {
            long spaceId = entries.get(from).spaceId();
            int to = from;
            while (to < entries.size() && to - from < MOVE_CHUNK && entries.get(to).spaceId() == spaceId) {
                to++;
            }
            Space space = spaces.get(spaceId);
            Lock exclusive = space == null ? null : space.lock.writeLock();
            if (exclusive != null) {
                exclusive.lock();
            }
            try (WriteBatch batch = new WriteBatch()) {
                List<Entry> chunk = new ArrayList<>();
                int bytes = 0;
                for (Entry entry : entries.subList(from, to)) {
                    int size = database.getBlock(entry.key(), current, 0, current.length);
                    if (size == LogPointer.SIZE_BYTES && Arrays.equals(current, entry.pointer())) {
                        int length = LogPointer.recordLength(entry.pointer(), 0);
                        if (length < LogRecord.HEADER_BYTES || length > MAX_RECORD_BYTES) {
                            kept.add(entry.segment()); // a damaged pointer: leave it and its segment as they are
                            continue;
                        }
                        chunk.add(entry);
                        bytes += length;
                    }
                }
                byte[] records = new byte[bytes];
                int at = 0;
                List<Entry> readable = new ArrayList<>();
                List<Integer> offsets = new ArrayList<>();
                for (Entry entry : chunk) {
                    long position = LogPointer.position(entry.pointer(), 0);
                    int length = LogPointer.recordLength(entry.pointer(), 0);
                    try {
                        database.log().read(BlockLog.segmentOf(position), BlockLog.offsetOf(position), records, at, length);
                    } catch (IOException e) {
                        kept.add(entry.segment());
                        continue;
                    }
                    readable.add(entry);
                    offsets.add(at);
                    at += length;
                }
                if (at > 0) {
                    long position = database.log().append(records, 0, at);
                    // The moved records are durable before any pointer to them can be: the old place held
                    // a block that may have been flushed, and a new pointer that reached the disk ahead of
                    // its record would turn it into EIO after a power loss.
                    database.log().sync();
                    for (int i = 0; i < readable.size(); i++) {
                        Entry entry = readable.get(i);
                        LogPointer.write(pointer, position + offsets.get(i), LogPointer.recordLength(entry.pointer(), 0));
                        batch.put(blocks, entry.key(), pointer);
                    }
                    database.write(batch, false);
                    moved += readable.size();
                }
            } finally {
                if (exclusive != null) {
                    exclusive.unlock();
                }
            }
            from = to;
        }
        return moved;
    }
}

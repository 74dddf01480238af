package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The engine's block column family and block log opened directly, as an attacker with the disk would
 * (the store must be closed). The layout is decoded here from the format (volume-engine-v2.md), not
 * through the engine's readers, so a test that checks bytes checks the format too.
 */
final class RawBlocks implements AutoCloseable {
    /** Bytes of a log record's header: magic, key, value length, CRC32C. */
    static final int HEADER = 36;
    static final byte[] MAGIC = "CBL1".getBytes(StandardCharsets.US_ASCII);
    static final int POINTER = 13;

    private final Path dir;
    private final DBOptions options = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle meta;

    RawBlocks(Path dir) throws Exception {
        this.dir = dir;
        List<byte[]> names;
        try (Options listing = new Options()) {
            names = RocksDB.listColumnFamilies(listing, dir.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        int blocksAt = -1;
        int metaAt = -1;
        for (byte[] name : names) {
            if (new String(name, StandardCharsets.US_ASCII).equals(EngineDatabase.BLOCKS)) {
                blocksAt = descriptors.size();
            }
            if (new String(name, StandardCharsets.US_ASCII).equals(EngineDatabase.META)) {
                metaAt = descriptors.size();
            }
            descriptors.add(new ColumnFamilyDescriptor(name));
        }
        db = RocksDB.open(options, dir.toString(), descriptors, handles);
        blocks = handles.get(blocksAt);
        meta = handles.get(metaAt);
    }

    byte[] get(long space, long index, long epoch) throws Exception {
        return db.get(blocks, BlockKeys.of(space, index, epoch));
    }

    void put(long space, long index, long epoch, byte[] value) throws Exception {
        db.put(blocks, BlockKeys.of(space, index, epoch), value);
    }

    byte[] getMeta(byte[] key) throws Exception {
        return db.get(meta, key);
    }

    void putMeta(byte[] key, byte[] value) throws Exception {
        db.put(meta, key, value);
    }

    /** Every record, keyed by its 24-byte key rendered as "space/index/epoch". */
    Map<String, byte[]> all() {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator(blocks)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                all.put(BlockKeys.spaceId(key) + "/" + BlockKeys.blockIndex(key) + "/" + BlockKeys.epoch(key), it.value());
            }
        }
        return all;
    }

    // ---- the block log ----

    /** Where a pointer says a block's record is. */
    record Location(int segment, long offset, int length) {
    }

    /** Decodes a 13-byte pointer value: 'L' | segment u32 | offset u32 | record length u32. */
    static Location decodePointer(byte[] value) {
        if (!isPointer(value)) {
            throw new AssertionError("not a log pointer: " + (value == null ? "absent" : value.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(value, 1, 12);
        return new Location(b.getInt(), Integer.toUnsignedLong(b.getInt()), b.getInt());
    }

    static boolean isPointer(byte[] value) {
        return value != null && value.length == POINTER && value[0] == 'L';
    }

    /** A pointer value with any fields, garbage included. */
    static byte[] pointer(int segment, long offset, int length) {
        return ByteBuffer.allocate(POINTER).put((byte) 'L').putInt(segment).putInt((int) offset).putInt(length).array();
    }

    /** Where the key's pointer points (the key must hold a pointer). */
    Location locate(long space, long index, long epoch) throws Exception {
        return decodePointer(get(space, index, epoch));
    }

    /** The raw bytes of the record the key's pointer names, header included. */
    byte[] record(long space, long index, long epoch) throws Exception {
        Location at = locate(space, index, epoch);
        return readSegment(dir, at.segment(), at.offset(), at.length());
    }

    /** The value of the record the key's pointer names, after checking its header names the key and its CRC holds. */
    byte[] recordValue(long space, long index, long epoch) throws Exception {
        byte[] record = record(space, index, epoch);
        ByteBuffer header = ByteBuffer.wrap(record);
        byte[] magic = new byte[4];
        header.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || header.getLong() != space || header.getLong() != index
                || header.getLong() != epoch || header.getInt() != record.length - HEADER
                || header.getInt() != crc(record)) {
            throw new AssertionError("record of " + space + "/" + index + "/" + epoch + " has a header that does not fit");
        }
        return java.util.Arrays.copyOfRange(record, HEADER, record.length);
    }

    /** Overwrites bytes of the record the key's pointer names, at {@code offsetInRecord}. */
    void writeRecord(long space, long index, long epoch, int offsetInRecord, byte[] bytes) throws Exception {
        Location at = locate(space, index, epoch);
        writeSegment(dir, at.segment(), at.offset() + offsetInRecord, bytes);
    }

    /** Flips one bit of the record the key's pointer names, at {@code offsetInRecord}. */
    void flip(long space, long index, long epoch, int offsetInRecord) throws Exception {
        Location at = locate(space, index, epoch);
        byte[] one = readSegment(dir, at.segment(), at.offset() + offsetInRecord, 1);
        one[0] ^= 1;
        writeSegment(dir, at.segment(), at.offset() + offsetInRecord, one);
    }

    /** The live bytes of each segment, from the pointers (a pointer into a missing segment counts too). */
    Map<Integer, Long> liveBytes() {
        Map<Integer, Long> live = new HashMap<>();
        try (RocksIterator it = db.newIterator(blocks)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                if (isPointer(value)) {
                    Location at = decodePointer(value);
                    live.merge(at.segment(), (long) at.length(), Long::sum);
                }
            }
        }
        return live;
    }

    /**
     * Rewrites a record's header for {@code (space, index, epoch)} with a CRC32C that fits, as an
     * attacker can (a CRC is no MAC): the log then takes the record as written for that key.
     */
    static void reheader(byte[] record, long space, long index, long epoch) {
        ByteBuffer.wrap(record).put(MAGIC).putLong(space).putLong(index).putLong(epoch).putInt(record.length - HEADER);
        ByteBuffer.wrap(record).putInt(32, crc(record));
    }

    /** The CRC32C a record's header should carry: over bytes [0, 32) and the value. */
    static int crc(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record, 0, 32);
        crc.update(record, HEADER, record.length - HEADER);
        return (int) crc.getValue();
    }

    static Path logDirectory(Path storeDir) {
        return storeDir.resolve("blocklog");
    }

    static Path segmentFile(Path storeDir, int segment) {
        return logDirectory(storeDir).resolve(String.format(Locale.ROOT, "%010d.seg", segment));
    }

    /** Every segment file's id and size, in id order. */
    static TreeMap<Integer, Long> segments(Path storeDir) {
        TreeMap<Integer, Long> segments = new TreeMap<>();
        Path log = logDirectory(storeDir);
        if (!Files.isDirectory(log)) {
            return segments;
        }
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".seg")) {
                    try {
                        segments.put(Integer.parseInt(name.substring(0, name.length() - 4)), Files.size(file));
                    } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
                        // the store's cleaner deleted it between the listing and the size
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return segments;
    }

    static long totalSegmentBytes(Path storeDir) {
        return segments(storeDir).values().stream().mapToLong(Long::longValue).sum();
    }

    static byte[] readSegment(Path storeDir, int segment, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(segmentFile(storeDir, segment), StandardOpenOption.READ)) {
            ByteBuffer into = ByteBuffer.allocate(length);
            while (into.hasRemaining()) {
                if (channel.read(into, offset + into.position()) < 0) {
                    throw new IOException("segment " + segment + " ends before " + (offset + length));
                }
            }
            return into.array();
        }
    }

    static void writeSegment(Path storeDir, int segment, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(segmentFile(storeDir, segment), StandardOpenOption.WRITE)) {
            ByteBuffer from = ByteBuffer.wrap(bytes);
            while (from.hasRemaining()) {
                channel.write(from, offset + from.position());
            }
        }
    }

    static void truncateSegment(Path storeDir, int segment, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(segmentFile(storeDir, segment), StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    /** Whether any regular file under {@code root} (RocksDB's tables, WAL and logs, the block log) holds {@code needle}. */
    static List<Path> filesContaining(Path root, byte[] needle) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (TestCodecs.contains(Files.readAllBytes(file), needle)) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    /** A v1 inline value of a sealed block: the block-seal-v1 record itself, as format v1 stored it in RocksDB. */
    static byte[] sealedInline(byte[] dataKey, String bindingId, int blockSize, long index, byte[] plaintext) {
        BlockCodec.Sealed codec = (BlockCodec.Sealed) TestCodecs.sealed(dataKey, bindingId, blockSize);
        byte[] sealed = new byte[codec.cipher().sealedSizeBytes()];
        codec.cipher().seal(index, plaintext, 0, sealed, 0);
        return sealed;
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
    }
}

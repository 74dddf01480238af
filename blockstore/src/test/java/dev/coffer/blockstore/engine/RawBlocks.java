package dev.coffer.blockstore.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The engine's block column family opened directly, as an attacker with the disk would (the store must be closed). */
final class RawBlocks implements AutoCloseable {
    private final DBOptions options = new DBOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle meta;

    RawBlocks(Path dir) throws Exception {
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

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
    }
}

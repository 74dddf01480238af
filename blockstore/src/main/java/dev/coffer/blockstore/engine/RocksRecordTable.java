package dev.coffer.blockstore.engine;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/** The control plane's records in the {@code records} column family; keys are UTF-8, every change synced. */
final class RocksRecordTable implements RecordTable {
    private final EngineDatabase database;

    RocksRecordTable(EngineDatabase database) {
        this.database = database;
    }

    @Override
    public Optional<byte[]> get(String key) {
        database.enter();
        try {
            return Optional.ofNullable(database.db().get(database.records(), utf8(key)));
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("record get", e);
        } finally {
            database.exit();
        }
    }

    @Override
    public void put(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        database.enter();
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(database.records(), utf8(key), value);
            database.write(batch, true);
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("record put", e);
        } finally {
            database.exit();
        }
    }

    @Override
    public void delete(String key) {
        database.enter();
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(database.records(), utf8(key));
            database.write(batch, true);
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("record delete", e);
        } finally {
            database.exit();
        }
    }

    @Override
    public List<Map.Entry<String, byte[]>> scan(String prefix) {
        byte[] start = utf8(prefix);
        List<Map.Entry<String, byte[]>> found = new ArrayList<>();
        database.enter();
        try (RocksIterator it = database.db().newIterator(database.records())) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key.length < start.length || !Arrays.equals(key, 0, start.length, start, 0, start.length)) {
                    break;
                }
                found.add(new AbstractMap.SimpleImmutableEntry<>(new String(key, StandardCharsets.UTF_8), it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("record scan", e);
        } finally {
            database.exit();
        }
        return found;
    }

    private static byte[] utf8(String key) {
        return Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }
}

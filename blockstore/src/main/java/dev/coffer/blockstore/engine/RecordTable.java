package dev.coffer.blockstore.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small durable key-value table beside the volume data, for the control plane's records (volumes,
 * snapshots, account settings). Every write is synced before it returns. Thread-safe.
 */
public interface RecordTable {
    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    void delete(String key);

    /** Every record whose key starts with {@code prefix}, in key order. */
    List<Map.Entry<String, byte[]>> scan(String prefix);
}

package dev.coffer.auth.store;

import java.util.Objects;

/**
 * A RocksDB column family declared once as (name, key codec, value codec), the Ozone idiom: every
 * read and write goes through its declaration, so a table's types cannot drift between callers.
 */
public record Table<K, V>(String name, Codec<K> keyCodec, Codec<V> valueCodec) {
    public Table {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        if (name.isEmpty() || name.equals("default")) {
            throw new IllegalArgumentException("table name must be non-empty and not 'default'");
        }
    }
}

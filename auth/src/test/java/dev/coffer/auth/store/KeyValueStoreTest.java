package dev.coffer.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyValueStoreTest {
    record Item(String name, int size) {}

    static final Table<String, String> NAMES = new Table<>("names", Codec.utf8(), Codec.utf8());
    static final Table<String, Item> ITEMS = new Table<>("items", Codec.utf8(), Codec.json(Item.class, new ObjectMapper()));

    @TempDir
    Path dir;

    @Test
    void writesSurviveReopening() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES, ITEMS))) {
            store.put(NAMES, "a", "alpha");
            store.put(ITEMS, "x", new Item("x", 3));
        }
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES, ITEMS))) {
            assertThat(store.get(NAMES, "a")).contains("alpha");
            assertThat(store.get(ITEMS, "x")).contains(new Item("x", 3));
            assertThat(store.get(NAMES, "missing")).isEmpty();
        }
    }

    @Test
    void tablesAreSeparateNamespaces() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES, ITEMS))) {
            store.put(NAMES, "k", "in names");
            assertThat(store.get(ITEMS, "k")).isEmpty();
        }
    }

    @Test
    void batchAppliesAllChangesTogether() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES, ITEMS))) {
            store.put(NAMES, "old", "1");
            store.write(b -> b.delete(NAMES, "old").put(NAMES, "new", "2").put(ITEMS, "i", new Item("i", 1)));
            assertThat(store.get(NAMES, "old")).isEmpty();
            assertThat(store.get(NAMES, "new")).contains("2");
            assertThat(store.get(ITEMS, "i")).isPresent();
        }
    }

    @Test
    void failedBatchAppliesNothing() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES))) {
            Table<String, String> undeclared = new Table<>("undeclared", Codec.utf8(), Codec.utf8());
            assertThatThrownBy(() -> store.write(b -> b.put(NAMES, "a", "1").put(undeclared, "b", "2")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.get(NAMES, "a")).isEmpty();
        }
    }

    @Test
    void scanReturnsPrefixInOrderAndPagesAfterAKey() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES))) {
            for (String k : List.of("key/3", "key/1", "other/1", "key/2", "kez")) {
                store.put(NAMES, k, k.toUpperCase());
            }
            assertThat(store.scan(NAMES, "key/", null, 10)).extracting(Map.Entry::getKey).containsExactly("key/1", "key/2", "key/3");
            assertThat(store.scan(NAMES, "key/", null, 2)).extracting(Map.Entry::getKey).containsExactly("key/1", "key/2");
            assertThat(store.scan(NAMES, "key/", "key/2", 10)).extracting(Map.Entry::getKey).containsExactly("key/3");
        }
    }

    @Test
    void cursorSeeksAndSeesOneConsistentView() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES))) {
            for (String k : List.of("a/1", "a/2", "b/1", "c")) {
                store.put(NAMES, k, k.toUpperCase());
            }
            List<String> seen = store.read(NAMES, cursor -> {
                store.put(NAMES, "b/0", "written after the cursor was created");
                List<String> keys = new java.util.ArrayList<>();
                cursor.seek("a/");
                keys.add(cursor.key());
                cursor.seek("a0");
                while (cursor.valid()) {
                    keys.add(cursor.key() + "=" + cursor.value());
                    cursor.next();
                }
                return keys;
            });
            assertThat(seen).containsExactly("a/1", "b/1=B/1", "c=C");
            String first = store.read(NAMES, cursor -> {
                cursor.seekToFirst();
                return cursor.key();
            });
            assertThat(first).isEqualTo("a/1");
        }
    }

    @Test
    void undecodableValueIsReportedAsCorrupt() {
        Table<String, String> raw = new Table<>("items", Codec.utf8(), Codec.utf8());
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(raw))) {
            store.put(raw, "x", "{not json");
        }
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(ITEMS))) {
            assertThatThrownBy(() -> store.get(ITEMS, "x")).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsBusy() {
        try (KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES))) {
            assertThatThrownBy(() -> KeyValueStore.open(dir, List.of(NAMES))).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.BUSY));
        }
    }

    @Test
    void useAfterCloseFailsClearly() {
        KeyValueStore store = KeyValueStore.open(dir, List.of(NAMES));
        store.close();
        assertThatThrownBy(() -> store.get(NAMES, "a")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CLOSED));
    }
}

package dev.coffer.kms.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.coffer.auth.store.Codec;
import dev.coffer.auth.store.KeyValueStore;
import dev.coffer.auth.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dumb storage for key metadata, aliases, grants and import parameters, with an in-memory cache of
 * keys and aliases in front (loaded at start: 10,000 keys load in well under a second). Writes go
 * to RocksDB synced, then to the cache. Callers serialise changes to one key (the service holds a
 * per-key lock).
 */
public final class KmsKeyStore implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    static final Table<String, KmsKey> KEYS = new Table<>("keys", Codec.utf8(), Codec.json(KmsKey.class, JSON));
    static final Table<String, KmsAlias> ALIASES = new Table<>("aliases", Codec.utf8(), Codec.json(KmsAlias.class, JSON));
    /** Key: key id, '/', grant id. */
    static final Table<String, KmsGrant> GRANTS = new Table<>("grants", Codec.utf8(), Codec.json(KmsGrant.class, JSON));
    static final Table<String, ImportParameters> IMPORTS =
            new Table<>("import_parameters", Codec.utf8(), Codec.json(ImportParameters.class, JSON));

    private final KeyValueStore store;
    private final Map<String, KmsKey> keys = new ConcurrentHashMap<>();
    private final Map<String, KmsAlias> aliases = new ConcurrentHashMap<>();
    /** Grants by key, loaded on first use: every key use consults them, so they are not scanned each time. */
    private final Map<String, List<KmsGrant>> grantsByKey = new ConcurrentHashMap<>();

    private KmsKeyStore(KeyValueStore store) {
        this.store = store;
        for (Map.Entry<String, KmsKey> e : store.scan(KEYS, "", null, Integer.MAX_VALUE)) {
            keys.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, KmsAlias> e : store.scan(ALIASES, "", null, Integer.MAX_VALUE)) {
            aliases.put(e.getKey(), e.getValue());
        }
    }

    public static KmsKeyStore open(Path directory) {
        KeyValueStore store = KeyValueStore.open(directory, List.of(KEYS, ALIASES, GRANTS, IMPORTS));
        try {
            return new KmsKeyStore(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public Optional<KmsKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public int keyCount() {
        return keys.size();
    }

    /** Keys in key-id order, after {@code afterKeyId} (exclusive, null from the start). */
    public List<KmsKey> keys(String afterKeyId, int limit) {
        return keys.values().stream().sorted(Comparator.comparing(KmsKey::keyId))
                .filter(k -> afterKeyId == null || k.keyId().compareTo(afterKeyId) > 0).limit(limit).toList();
    }

    public Collection<KmsKey> allKeys() {
        return List.copyOf(keys.values());
    }

    public void putKey(KmsKey key) {
        store.put(KEYS, key.keyId(), key);
        keys.put(key.keyId(), key);
    }

    /** Creates a key and, optionally, an alias for it in one atomic write. */
    public void createKey(KmsKey key, KmsAlias alias) {
        store.write(b -> {
            b.put(KEYS, key.keyId(), key);
            if (alias != null) {
                b.put(ALIASES, alias.aliasName(), alias);
            }
        });
        keys.put(key.keyId(), key);
        if (alias != null) {
            aliases.put(alias.aliasName(), alias);
        }
    }

    /** Removes a key with its aliases, grants and import parameters, atomically. */
    public void deleteKey(String keyId) {
        List<KmsAlias> itsAliases = aliasesOf(keyId);
        List<KmsGrant> itsGrants = grants(keyId);
        store.write(b -> {
            b.delete(KEYS, keyId);
            b.delete(IMPORTS, keyId);
            itsAliases.forEach(a -> b.delete(ALIASES, a.aliasName()));
            itsGrants.forEach(g -> b.delete(GRANTS, keyId + "/" + g.grantId()));
        });
        keys.remove(keyId);
        grantsByKey.remove(keyId);
        itsAliases.forEach(a -> aliases.remove(a.aliasName()));
    }

    // ---- aliases -------------------------------------------------------------------------------

    public Optional<KmsAlias> alias(String aliasName) {
        return Optional.ofNullable(aliases.get(aliasName));
    }

    public List<KmsAlias> aliases() {
        List<KmsAlias> all = new ArrayList<>(aliases.values());
        all.sort(Comparator.comparing(KmsAlias::aliasName));
        return all;
    }

    public List<KmsAlias> aliasesOf(String keyId) {
        return aliases().stream().filter(a -> a.targetKeyId().equals(keyId)).toList();
    }

    public void putAlias(KmsAlias alias) {
        store.put(ALIASES, alias.aliasName(), alias);
        aliases.put(alias.aliasName(), alias);
    }

    public void deleteAlias(String aliasName) {
        store.delete(ALIASES, aliasName);
        aliases.remove(aliasName);
    }

    // ---- grants --------------------------------------------------------------------------------

    public List<KmsGrant> grants(String keyId) {
        return grantsByKey.computeIfAbsent(keyId,
                k -> store.scan(GRANTS, k + "/", null, Integer.MAX_VALUE).stream().map(Map.Entry::getValue).toList());
    }

    public Optional<KmsGrant> grant(String keyId, String grantId) {
        return store.get(GRANTS, keyId + "/" + grantId);
    }

    /** Every grant of every key (ListRetirableGrants, grant-token lookup). */
    public List<KmsGrant> allGrants() {
        return store.scan(GRANTS, "", null, Integer.MAX_VALUE).stream().map(Map.Entry::getValue).toList();
    }

    /**
     * Writes, then drops the key's cached grants. A concurrent load holds the map's bin while it
     * scans, so the removal waits for it and a list read before the write never survives it.
     */
    public void putGrant(KmsGrant grant) {
        store.put(GRANTS, grant.keyId() + "/" + grant.grantId(), grant);
        grantsByKey.remove(grant.keyId());
    }

    public void deleteGrant(String keyId, String grantId) {
        store.delete(GRANTS, keyId + "/" + grantId);
        grantsByKey.remove(keyId);
    }

    // ---- import parameters ---------------------------------------------------------------------

    public Optional<ImportParameters> importParameters(String keyId) {
        return store.get(IMPORTS, keyId);
    }

    public void putImportParameters(ImportParameters parameters) {
        store.put(IMPORTS, parameters.keyId(), parameters);
    }

    public void deleteImportParameters(String keyId) {
        store.delete(IMPORTS, keyId);
    }

    @Override
    public void close() {
        store.close();
    }
}

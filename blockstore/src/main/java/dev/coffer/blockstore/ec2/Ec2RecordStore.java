package dev.coffer.blockstore.ec2;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.coffer.blockstore.engine.RecordTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The control plane's records, in the engine's {@link RecordTable} as versioned JSON and in memory
 * (loaded once at start, written through: every change is durable before it is visible). Readers
 * fail closed on a record version they do not know. Thread-safe; callers serialize read-modify-write
 * sequences themselves.
 */
final class Ec2RecordStore {
    private static final String VOLUME = "ec2/volume/";
    private static final String SNAPSHOT = "ec2/snapshot/";
    private static final String SETTINGS = "ec2/settings/";
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final RecordTable table;
    private final ConcurrentSkipListMap<String, Ec2VolumeRecord> volumes = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Ec2SnapshotRecord> snapshots = new ConcurrentSkipListMap<>();

    Ec2RecordStore(RecordTable table) {
        this.table = table;
        for (Map.Entry<String, byte[]> e : table.scan(VOLUME)) {
            Ec2VolumeRecord r = read(e.getValue(), Ec2VolumeRecord.class, Ec2VolumeRecord.VERSION, e.getKey());
            volumes.put(r.volumeId(), r);
        }
        for (Map.Entry<String, byte[]> e : table.scan(SNAPSHOT)) {
            Ec2SnapshotRecord r = read(e.getValue(), Ec2SnapshotRecord.class, Ec2SnapshotRecord.VERSION, e.getKey());
            snapshots.put(r.snapshotId(), r);
        }
    }

    Optional<Ec2VolumeRecord> volume(String volumeId) {
        return Optional.ofNullable(volumes.get(volumeId));
    }

    Ec2VolumeRecord existingVolume(String volumeId) {
        return volume(volumeId).orElseThrow(() -> new Ec2Exception(Ec2Error.INVALID_VOLUME_NOT_FOUND,
                "The volume '" + volumeId + "' does not exist."));
    }

    /** Every volume, in id order. */
    List<Ec2VolumeRecord> volumes() {
        return List.copyOf(volumes.values());
    }

    void put(Ec2VolumeRecord r) {
        table.put(VOLUME + r.volumeId(), write(r));
        volumes.put(r.volumeId(), r);
    }

    void deleteVolume(String volumeId) {
        table.delete(VOLUME + volumeId);
        volumes.remove(volumeId);
    }

    Optional<Ec2SnapshotRecord> snapshot(String snapshotId) {
        return Optional.ofNullable(snapshots.get(snapshotId));
    }

    Ec2SnapshotRecord existingSnapshot(String snapshotId) {
        return snapshot(snapshotId).orElseThrow(() -> new Ec2Exception(Ec2Error.INVALID_SNAPSHOT_NOT_FOUND,
                "The snapshot '" + snapshotId + "' does not exist."));
    }

    List<Ec2SnapshotRecord> snapshots() {
        return List.copyOf(snapshots.values());
    }

    void put(Ec2SnapshotRecord r) {
        table.put(SNAPSHOT + r.snapshotId(), write(r));
        snapshots.put(r.snapshotId(), r);
    }

    void deleteSnapshot(String snapshotId) {
        table.delete(SNAPSHOT + snapshotId);
        snapshots.remove(snapshotId);
    }

    Ec2AccountSettings settings(String accountId) {
        return table.get(SETTINGS + accountId)
                .map(b -> read(b, Ec2AccountSettings.class, Ec2AccountSettings.VERSION, SETTINGS + accountId))
                .orElseGet(Ec2AccountSettings::initial);
    }

    void put(String accountId, Ec2AccountSettings settings) {
        table.put(SETTINGS + accountId, write(settings));
    }

    private static byte[] write(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type, int version, String key) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            int found = tree.path("version").asInt(-1);
            if (found != version) {
                throw new IllegalStateException("record " + key + " has format version " + found
                        + "; this Coffer reads version " + version);
            }
            return JSON.treeToValue(tree, type);
        } catch (IOException e) {
            throw new UncheckedIOException("record " + key + " is unreadable", e);
        }
    }
}

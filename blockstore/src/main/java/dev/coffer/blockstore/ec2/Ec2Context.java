package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.device.ExportTable;
import dev.coffer.blockstore.engine.VolumeDevice;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * What every EC2 handler works with: the records, the engine, the keys, the export table, the
 * background executor, and the volumes open for their attachments. {@link #lock} serializes every
 * read-check-write of a record (state transitions), never a KMS call or a long copy.
 */
final class Ec2Context {
    final Ec2RecordStore records;
    final VolumeEngine engine;
    final Ec2Keys keys;
    final ExportTable exports;
    final Executor background;
    final Clock clock;
    final Ec2Ids ids;
    final Ec2Config config;
    final Object lock = new Object();
    /** Set when the service closes: background work still running then records nothing more (the next open recovers it). */
    volatile boolean closed;
    /** Attached volumes' open devices and the ciphers under them, by volume id. */
    final Map<String, OpenVolume> open = new ConcurrentHashMap<>();

    /** An attached volume: its device, and (encrypted) the cipher and grant it was unsealed under. */
    record OpenVolume(VolumeDevice device, Ec2Keys.Unsealed unsealed) {}

    Ec2Context(Ec2RecordStore records, VolumeEngine engine, Ec2Keys keys, ExportTable exports, Executor background,
               Clock clock, Ec2Ids ids, Ec2Config config) {
        this.records = records;
        this.engine = engine;
        this.keys = keys;
        this.exports = exports;
        this.background = background;
        this.clock = clock;
        this.ids = ids;
        this.config = config;
    }

    Instant now() {
        return clock.instant();
    }

    static long bytes(int sizeGiB) {
        return (long) sizeGiB << 30;
    }
}

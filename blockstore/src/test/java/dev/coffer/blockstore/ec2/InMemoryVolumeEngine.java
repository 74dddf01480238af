package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.engine.RecordTable;
import dev.coffer.blockstore.engine.VolumeDevice;
import dev.coffer.crypto.CiphertextRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A small volume engine for the control plane's tests, with the real engine's contract where the
 * control plane relies on it: blocks are stored as the codec makes them (sealed with the real block
 * cipher, or plaintext), snapshots and volumes from them share blocks, copies re-code every block
 * from the source codec to the target codec (so a wrong key or binding fails as it would), a space
 * refuses a codec of the other kind or another binding id, and the record table survives
 * {@link Ec2Service} being closed and reopened. Copies can be held at a gate to observe them pending.
 */
final class InMemoryVolumeEngine implements VolumeEngine {
    private static final class Space {
        final long sizeBytes;
        final int blockSize;
        final Optional<String> bindingId;
        final ConcurrentSkipListMap<Long, byte[]> blocks;

        Space(long sizeBytes, int blockSize, Optional<String> bindingId, Map<Long, byte[]> blocks) {
            this.sizeBytes = sizeBytes;
            this.blockSize = blockSize;
            this.bindingId = bindingId;
            this.blocks = new ConcurrentSkipListMap<>(blocks);
        }
    }

    private final Map<String, Space> spaces = new ConcurrentHashMap<>();
    private final Map<String, Boolean> openVolumes = new ConcurrentHashMap<>();
    private final TreeMap<String, byte[]> records = new TreeMap<>();
    /** While set, copies wait here (after reporting 50%) until it is released. */
    volatile CountDownLatch copyGate;

    @Override
    public synchronized void createVolume(String volumeId, long sizeBytes, int blockSize, Optional<String> bindingId) {
        create(volumeId, new Space(sizeBytes, blockSize, bindingId, Map.of()));
    }

    private void create(String id, Space space) {
        if (spaces.putIfAbsent(id, space) != null) {
            throw new IllegalStateException(id + " exists");
        }
    }

    private Space space(String id) {
        Space s = spaces.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no such volume or snapshot: " + id);
        }
        return s;
    }

    @Override
    public void createVolumeFromSnapshot(String volumeId, String snapshotId, long sizeBytes) {
        Space s = space(snapshotId);
        if (sizeBytes < s.sizeBytes) {
            throw new IllegalArgumentException("smaller than the snapshot");
        }
        create(volumeId, new Space(sizeBytes, s.blockSize, s.bindingId, s.blocks));
    }

    @Override
    public void resizeVolume(String volumeId, long sizeBytes) {
        Space s = space(volumeId);
        spaces.put(volumeId, new Space(sizeBytes, s.blockSize, s.bindingId, s.blocks));
    }

    @Override
    public void deleteVolume(String volumeId) {
        if (openVolumes.containsKey(volumeId)) {
            throw new IllegalStateException(volumeId + " is open");
        }
        space(volumeId);
        spaces.remove(volumeId);
    }

    @Override
    public VolumeDevice open(String volumeId, BlockCodec codec) {
        Space s = space(volumeId);
        check(s, codec, volumeId);
        if (openVolumes.putIfAbsent(volumeId, true) != null) {
            throw new IllegalStateException(volumeId + " is already open");
        }
        return new Device(volumeId, codec);
    }

    private static void check(Space s, BlockCodec codec, String id) {
        boolean ok = switch (codec) {
            case BlockCodec.Plaintext p -> s.bindingId.isEmpty();
            case BlockCodec.Sealed sealed -> s.bindingId.equals(Optional.of(sealed.bindingId()));
        };
        if (!ok) {
            throw new IllegalArgumentException(id + " is stored under " + s.bindingId + ", not the codec given");
        }
    }

    @Override
    public void createSnapshot(String volumeId, String snapshotId) {
        Space s = space(volumeId);
        create(snapshotId, new Space(s.sizeBytes, s.blockSize, s.bindingId, s.blocks));
    }

    @Override
    public void copySnapshot(String sourceSnapshotId, BlockCodec source, String targetSnapshotId,
                             Optional<String> targetBindingId, BlockCodec target, LongConsumer progress) {
        Space s = space(sourceSnapshotId);
        create(targetSnapshotId, recode(s, source, s.sizeBytes, targetBindingId, target, progress, sourceSnapshotId));
    }

    @Override
    public void copySnapshotToVolume(String sourceSnapshotId, BlockCodec source, String volumeId, long sizeBytes,
                                     Optional<String> bindingId, BlockCodec target, LongConsumer progress) {
        Space s = space(sourceSnapshotId);
        create(volumeId, recode(s, source, sizeBytes, bindingId, target, progress, sourceSnapshotId));
    }

    private Space recode(Space s, BlockCodec source, long sizeBytes, Optional<String> bindingId, BlockCodec target,
                         LongConsumer progress, String sourceId) {
        check(s, source, sourceId);
        progress.accept(0);
        Map<Long, byte[]> out = new TreeMap<>();
        byte[] plain = new byte[s.blockSize];
        for (Map.Entry<Long, byte[]> e : s.blocks.entrySet()) {
            decode(source, e.getKey(), e.getValue(), plain);
            out.put(e.getKey(), encode(target, e.getKey(), plain, s.blockSize));
        }
        progress.accept(50);
        CountDownLatch gate = copyGate;
        if (gate != null) {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("copy gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        progress.accept(100);
        return new Space(sizeBytes, s.blockSize, bindingId, out);
    }

    private static void decode(BlockCodec codec, long index, byte[] stored, byte[] plain) {
        switch (codec) {
            case BlockCodec.Plaintext p -> System.arraycopy(stored, 0, plain, 0, plain.length);
            case BlockCodec.Sealed s -> {
                try {
                    s.cipher().open(index, stored, 0, plain, 0);
                } catch (CiphertextRejectedException e) {
                    throw new IllegalStateException("block " + index + " does not open", e);
                }
            }
        }
    }

    private static byte[] encode(BlockCodec codec, long index, byte[] plain, int blockSize) {
        return switch (codec) {
            case BlockCodec.Plaintext p -> plain.clone();
            case BlockCodec.Sealed s -> {
                byte[] sealed = new byte[s.cipher().sealedSizeBytes()];
                s.cipher().seal(index, plain, 0, sealed, 0);
                yield sealed;
            }
        };
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        space(snapshotId);
        spaces.remove(snapshotId);
    }

    @Override
    public boolean exists(String id) {
        return spaces.containsKey(id);
    }

    boolean isOpen(String volumeId) {
        return openVolumes.containsKey(volumeId);
    }

    /** The stored form of a block (tests compare ciphertexts). */
    Optional<byte[]> storedBlock(String id, long index) {
        return Optional.ofNullable(space(id).blocks.get(index));
    }

    @Override
    public RecordTable records() {
        return new RecordTable() {
            @Override
            public Optional<byte[]> get(String key) {
                synchronized (records) {
                    return Optional.ofNullable(records.get(key)).map(byte[]::clone);
                }
            }

            @Override
            public void put(String key, byte[] value) {
                synchronized (records) {
                    records.put(key, value.clone());
                }
            }

            @Override
            public void delete(String key) {
                synchronized (records) {
                    records.remove(key);
                }
            }

            @Override
            public List<Map.Entry<String, byte[]>> scan(String prefix) {
                synchronized (records) {
                    List<Map.Entry<String, byte[]>> out = new ArrayList<>();
                    for (Map.Entry<String, byte[]> e : records.tailMap(prefix).entrySet()) {
                        if (!e.getKey().startsWith(prefix)) {
                            break;
                        }
                        out.add(Map.entry(e.getKey(), e.getValue().clone()));
                    }
                    return out;
                }
            }
        };
    }

    /** Block-granular I/O through the codec; enough for tests that write and read back. */
    private final class Device implements VolumeDevice {
        private final String volumeId;
        private final BlockCodec codec;
        private volatile boolean closed;

        Device(String volumeId, BlockCodec codec) {
            this.volumeId = volumeId;
            this.codec = codec;
        }

        private Space live() throws BlockIoException {
            if (closed) {
                throw new BlockIoException(BlockIoException.Errno.ESHUTDOWN, "closed");
            }
            return space(volumeId);
        }

        @Override
        public String volumeId() {
            return volumeId;
        }

        @Override
        public long sizeBytes() {
            return space(volumeId).sizeBytes;
        }

        @Override
        public int blockSize() {
            return space(volumeId).blockSize;
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws BlockIoException {
            Space s = live();
            byte[] plain = new byte[s.blockSize];
            for (int done = 0; done < length; ) {
                long index = (offset + done) / s.blockSize;
                int within = (int) ((offset + done) % s.blockSize);
                int n = Math.min(length - done, s.blockSize - within);
                byte[] stored = s.blocks.get(index);
                if (stored == null) {
                    java.util.Arrays.fill(dst, dstOffset + done, dstOffset + done + n, (byte) 0);
                } else {
                    try {
                        decode(codec, index, stored, plain);
                    } catch (IllegalStateException e) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " failed authentication");
                    }
                    System.arraycopy(plain, within, dst, dstOffset + done, n);
                }
                done += n;
            }
        }

        @Override
        public void write(long offset, byte[] src, int srcOffset, int length, boolean fua) throws BlockIoException {
            Space s = live();
            for (int done = 0; done < length; ) {
                long index = (offset + done) / s.blockSize;
                int within = (int) ((offset + done) % s.blockSize);
                int n = Math.min(length - done, s.blockSize - within);
                byte[] plain = new byte[s.blockSize];
                read(index * s.blockSize, plain, 0, s.blockSize);
                System.arraycopy(src, srcOffset + done, plain, within, n);
                s.blocks.put(index, encode(codec, index, plain, s.blockSize));
                done += n;
            }
        }

        @Override
        public void trim(long offset, long length, boolean fua) throws BlockIoException {
            writeZeroes(offset, length, fua);
        }

        @Override
        public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
            write(offset, new byte[(int) length], 0, (int) length, fua);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openVolumes.remove(volumeId);
            }
        }
    }
}

package dev.coffer.blockstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of writes, trims, zeroes, snapshots, clones, copies, resizes, deletes and reopens
 * against a model of plain byte arrays, for plaintext and sealed lineages: every volume and snapshot
 * must read as its model, and once everything is deleted nothing may remain stored.
 */
class VolumeStoreModelTest {
    private static final int BLOCK = 512;
    private static final byte[] KEY = TestCodecs.dataKey(21);

    sealed interface Op {}

    record Write(int volume, int offset, int length, int seed) implements Op {}

    record Discard(int volume, int offset, int length, boolean trim) implements Op {}

    record Snapshot(int volume) implements Op {}

    record Clone(int snapshot, int extraBlocks) implements Op {}

    record Copy(int snapshot, boolean sealed, boolean toVolume) implements Op {}

    record Resize(int volume, int extraBlocks) implements Op {}

    record DeleteVolume(int volume) implements Op {}

    record DeleteSnapshot(int snapshot) implements Op {}

    record Reopen() implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Op> write = Combinators.combine(any, any, any, any).as(Write::new);
        Arbitrary<Op> discard = Combinators.combine(any, any, any, flag).as(Discard::new);
        Arbitrary<Op> snapshot = any.map(Snapshot::new);
        Arbitrary<Op> clone = Combinators.combine(any, Arbitraries.integers().between(0, 16)).as(Clone::new);
        Arbitrary<Op> copy = Combinators.combine(any, flag, flag).as(Copy::new);
        Arbitrary<Op> resize = Combinators.combine(any, Arbitraries.integers().between(0, 16)).as(Resize::new);
        Arbitrary<Op> deleteVolume = any.map(DeleteVolume::new);
        Arbitrary<Op> deleteSnapshot = any.map(DeleteSnapshot::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                Tuple.of(10, write), Tuple.of(4, discard), Tuple.of(3, snapshot), Tuple.of(2, clone),
                Tuple.of(1, copy), Tuple.of(1, resize), Tuple.of(1, deleteVolume), Tuple.of(2, deleteSnapshot),
                Tuple.of(1, reopen)).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void plaintextLineagesMatchTheModel(@ForAll("operations") List<Op> ops) throws Exception {
        run(false, ops);
    }

    @Property(tries = 40)
    void sealedLineagesMatchTheModel(@ForAll("operations") List<Op> ops) throws Exception {
        run(true, ops);
    }

    /** What a volume or snapshot holds in the model, and its binding id (null: plaintext). */
    private static final class Image {
        byte[] bytes;
        final String binding;

        Image(byte[] bytes, String binding) {
            this.bytes = bytes;
            this.binding = binding;
        }
    }

    private static final class Harness implements AutoCloseable {
        final Path dir;
        VolumeStore store;
        final Map<String, Image> volumes = new LinkedHashMap<>();
        final Map<String, Image> snapshots = new LinkedHashMap<>();
        final Map<String, VolumeDevice> devices = new HashMap<>();
        int nextId;

        Harness(Path dir) throws IOException {
            this.dir = dir;
            this.store = VolumeStore.open(dir);
        }

        String newId(String prefix) {
            return prefix + (nextId++);
        }

        static BlockCodec codec(String binding) {
            return binding == null ? BlockCodec.plaintext() : TestCodecs.sealed(KEY, binding, BLOCK);
        }

        VolumeDevice device(String volumeId) {
            return devices.computeIfAbsent(volumeId, id -> store.open(id, codec(volumes.get(id).binding)));
        }

        void closeDevice(String volumeId) {
            VolumeDevice device = devices.remove(volumeId);
            if (device != null) {
                device.close();
            }
        }

        void reopen() throws IOException {
            devices.clear();
            store.close();
            store = VolumeStore.open(dir);
        }

        void checkVolume(String volumeId) throws Exception {
            Image image = volumes.get(volumeId);
            VolumeDevice device = device(volumeId);
            assertThat(device.sizeBytes()).isEqualTo(image.bytes.length);
            assertThat(TestCodecs.read(device, 0, image.bytes.length)).as(volumeId).isEqualTo(image.bytes);
        }

        void checkSnapshot(String snapshotId) throws Exception {
            Image image = snapshots.get(snapshotId);
            String probe = newId("vol-probe-");
            store.createVolumeFromSnapshot(probe, snapshotId, image.bytes.length);
            try (VolumeDevice device = store.open(probe, codec(image.binding))) {
                assertThat(TestCodecs.read(device, 0, image.bytes.length)).as(snapshotId).isEqualTo(image.bytes);
            }
            store.deleteVolume(probe);
        }

        @Override
        public void close() {
            devices.clear();
            store.close();
        }
    }

    private static <T> String pick(Map<String, T> map, int choice) {
        List<String> ids = new ArrayList<>(map.keySet());
        return ids.isEmpty() ? null : ids.get(choice % ids.size());
    }

    private void run(boolean sealed, List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("volume-model");
        try (Harness h = new Harness(dir)) {
            String first = h.newId("vol-");
            String binding = sealed ? first : null;
            h.store.createVolume(first, 32L * BLOCK, BLOCK, Optional.ofNullable(binding));
            h.volumes.put(first, new Image(new byte[32 * BLOCK], binding));
            for (Op op : ops) {
                apply(h, op);
            }
            for (String v : List.copyOf(h.volumes.keySet())) {
                h.checkVolume(v);
            }
            for (String s : List.copyOf(h.snapshots.keySet())) {
                h.checkSnapshot(s);
            }
            for (String v : List.copyOf(h.volumes.keySet())) {
                h.closeDevice(v);
                h.store.deleteVolume(v);
            }
            for (String s : List.copyOf(h.snapshots.keySet())) {
                h.store.deleteSnapshot(s);
            }
            assertThat(h.store.storedBlockCount()).isZero();
            try (RawBlocksAfterClose raw = new RawBlocksAfterClose(h)) {
                assertThat(raw.records()).as("records and tombstones left").isEmpty();
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Closes the harness's store to look at the raw table, then reopens it. */
    private static final class RawBlocksAfterClose implements AutoCloseable {
        private final Harness harness;
        private final RawBlocks raw;

        RawBlocksAfterClose(Harness harness) throws Exception {
            this.harness = harness;
            harness.devices.clear();
            harness.store.close();
            raw = new RawBlocks(harness.dir);
        }

        Map<String, byte[]> records() {
            return raw.all();
        }

        @Override
        public void close() throws IOException {
            raw.close();
            harness.store = VolumeStore.open(harness.dir);
        }
    }

    private void apply(Harness h, Op op) throws Exception {
        switch (op) {
            case Write w -> {
                String v = pick(h.volumes, w.volume());
                if (v == null) {
                    return;
                }
                byte[] model = h.volumes.get(v).bytes;
                int offset = w.offset() % model.length;
                int length = 1 + w.length() % Math.min(model.length - offset, 4 * BLOCK);
                byte[] data = TestCodecs.pattern(length, w.seed());
                h.device(v).write(offset, data, 0, length, w.seed() % 5 == 0);
                System.arraycopy(data, 0, model, offset, length);
                h.checkVolume(v);
            }
            case Discard d -> {
                String v = pick(h.volumes, d.volume());
                if (v == null) {
                    return;
                }
                byte[] model = h.volumes.get(v).bytes;
                int offset = d.offset() % model.length;
                int length = 1 + d.length() % (model.length - offset);
                if (d.trim()) {
                    h.device(v).trim(offset, length, false);
                } else {
                    h.device(v).writeZeroes(offset, length, false);
                }
                Arrays.fill(model, offset, offset + length, (byte) 0);
                h.checkVolume(v);
            }
            case Snapshot s -> {
                String v = pick(h.volumes, s.volume());
                if (v == null) {
                    return;
                }
                String id = h.newId("snap-");
                h.store.createSnapshot(v, id);
                Image image = h.volumes.get(v);
                h.snapshots.put(id, new Image(image.bytes.clone(), image.binding));
            }
            case Clone c -> {
                String s = pick(h.snapshots, c.snapshot());
                if (s == null) {
                    return;
                }
                String id = h.newId("vol-");
                Image image = h.snapshots.get(s);
                h.store.createVolumeFromSnapshot(id, s, image.bytes.length + (long) c.extraBlocks() * BLOCK);
                h.volumes.put(id, new Image(Arrays.copyOf(image.bytes, image.bytes.length + c.extraBlocks() * BLOCK),
                        image.binding));
                h.checkVolume(id);
            }
            case Copy c -> {
                String s = pick(h.snapshots, c.snapshot());
                if (s == null) {
                    return;
                }
                Image image = h.snapshots.get(s);
                String id = h.newId(c.toVolume() ? "vol-" : "snap-");
                String binding = c.sealed() ? id : null;
                if (c.toVolume()) {
                    h.store.copySnapshotToVolume(s, Harness.codec(image.binding), id, image.bytes.length,
                            Optional.ofNullable(binding), Harness.codec(binding), p -> { });
                    h.volumes.put(id, new Image(image.bytes.clone(), binding));
                    h.checkVolume(id);
                } else {
                    h.store.copySnapshot(s, Harness.codec(image.binding), id, Optional.ofNullable(binding),
                            Harness.codec(binding), p -> { });
                    h.snapshots.put(id, new Image(image.bytes.clone(), binding));
                }
            }
            case Resize r -> {
                String v = pick(h.volumes, r.volume());
                if (v == null || r.extraBlocks() == 0) {
                    return;
                }
                Image image = h.volumes.get(v);
                h.store.resizeVolume(v, image.bytes.length + (long) r.extraBlocks() * BLOCK);
                image.bytes = Arrays.copyOf(image.bytes, image.bytes.length + r.extraBlocks() * BLOCK);
                h.checkVolume(v);
            }
            case DeleteVolume d -> {
                String v = pick(h.volumes, d.volume());
                if (v == null) {
                    return;
                }
                h.closeDevice(v);
                h.store.deleteVolume(v);
                h.volumes.remove(v);
            }
            case DeleteSnapshot d -> {
                String s = pick(h.snapshots, d.snapshot());
                if (s == null) {
                    return;
                }
                h.store.deleteSnapshot(s);
                h.snapshots.remove(s);
            }
            case Reopen r -> h.reopen();
        }
    }
}

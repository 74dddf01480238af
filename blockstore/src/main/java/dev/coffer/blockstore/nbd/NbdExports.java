package dev.coffer.blockstore.nbd;

import dev.coffer.blockstore.device.BlockDevice;
import dev.coffer.blockstore.device.ExportTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry of what NBD servers offer: a name (the volume id) per attached device. New
 * connections find exports here during the handshake; NBD_OPT_LIST lists the published names.
 * One registry may back several {@link NbdServer}s. Thread-safe.
 */
public final class NbdExports implements ExportTable {
    private final ConcurrentMap<String, NbdExport> exports = new ConcurrentHashMap<>();

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code name} is empty (the NBD default export is never
     *     offered) or {@code name} or {@code description} is longer than 4096 UTF-8 bytes
     */
    @Override
    public void publish(String name, String description, BlockDevice device) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        String checkedDescription = description == null ? "" : description;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an NBD export name must not be empty");
        }
        if (utf8Length(name) > NbdWire.MAX_STRING_BYTES || utf8Length(checkedDescription) > NbdWire.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("NBD export names and descriptions are at most "
                    + NbdWire.MAX_STRING_BYTES + " UTF-8 bytes");
        }
        if (exports.putIfAbsent(name, new NbdExport(name, checkedDescription, device)) != null) {
            throw new IllegalStateException("NBD export " + name + " is already published");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Requests that arrive on those connections after the withdraw began are answered with
     * ESHUTDOWN; requests already running are answered normally.
     */
    @Override
    public CompletableFuture<Void> withdraw(String name) {
        NbdExport export = exports.remove(Objects.requireNonNull(name, "name"));
        return export == null ? CompletableFuture.completedFuture(null) : export.withdraw();
    }

    /** The published names, in no particular order. */
    public List<String> names() {
        return List.copyOf(exports.keySet());
    }

    Optional<NbdExport> find(String name) {
        return Optional.ofNullable(exports.get(name));
    }

    List<NbdExport> all() {
        return List.copyOf(exports.values());
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

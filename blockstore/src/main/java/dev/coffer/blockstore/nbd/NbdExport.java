package dev.coffer.blockstore.nbd;

import dev.coffer.blockstore.device.BlockDevice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One published device and the connections in transmission on it. Thread-safe. */
final class NbdExport {
    private final String name;
    private final String description;
    private final BlockDevice device;
    private final Set<NbdTransmissionHandler> connections = new HashSet<>();
    private boolean withdrawn;

    NbdExport(String name, String description, BlockDevice device) {
        this.name = name;
        this.description = description;
        this.device = device;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    BlockDevice device() {
        return device;
    }

    /** Adds a connection entering transmission; false once withdrawn, so no connection outlives a withdraw. */
    synchronized boolean attach(NbdTransmissionHandler connection) {
        if (withdrawn) {
            return false;
        }
        connections.add(connection);
        return true;
    }

    synchronized void detach(NbdTransmissionHandler connection) {
        connections.remove(connection);
    }

    /** Refuses new connections, drains and closes the attached ones; completes when all are closed. */
    CompletableFuture<Void> withdraw() {
        List<NbdTransmissionHandler> attached;
        synchronized (this) {
            withdrawn = true;
            attached = new ArrayList<>(connections);
        }
        return CompletableFuture.allOf(attached.stream()
                .map(NbdTransmissionHandler::drainAndClose)
                .toArray(CompletableFuture<?>[]::new));
    }
}

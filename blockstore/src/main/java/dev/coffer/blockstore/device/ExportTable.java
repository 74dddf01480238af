package dev.coffer.blockstore.device;

import java.util.concurrent.CompletableFuture;

/**
 * The exports an NBD server offers: the control plane publishes a volume at attach under its volume
 * id, and withdraws it at detach. Implemented by the NBD server's registry. Thread-safe.
 */
public interface ExportTable {
    /**
     * Makes {@code device} available to new NBD connections under {@code name}.
     *
     * @throws IllegalStateException if {@code name} is already published
     */
    void publish(String name, String description, BlockDevice device);

    /**
     * Stops offering {@code name} to new connections, and closes the connections that use it. The
     * future completes once every request those connections had in flight has been answered or
     * failed and the connections are closed, so the caller may then flush and close the device.
     * Withdrawing a name that is not published completes at once.
     */
    CompletableFuture<Void> withdraw(String name);
}

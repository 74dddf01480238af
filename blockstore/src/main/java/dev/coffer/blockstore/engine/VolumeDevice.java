package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockDevice;

/** An open volume: a {@link BlockDevice} whose {@link #close()} flushes and releases it (later calls fail with ESHUTDOWN). */
public interface VolumeDevice extends BlockDevice, AutoCloseable {
    String volumeId();

    @Override
    void close();
}

package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.device.BlockDevice;
import dev.coffer.blockstore.device.ExportTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An export table that remembers what is published and every publish and withdraw, in order. */
final class RecordingExportTable implements ExportTable {
    final Map<String, BlockDevice> published = new ConcurrentHashMap<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String name, String description, BlockDevice device) {
        if (published.putIfAbsent(name, device) != null) {
            throw new IllegalStateException(name + " is already published");
        }
        events.add("publish " + name);
    }

    @Override
    public CompletableFuture<Void> withdraw(String name) {
        if (published.remove(name) != null) {
            events.add("withdraw " + name);
        }
        return CompletableFuture.completedFuture(null);
    }
}

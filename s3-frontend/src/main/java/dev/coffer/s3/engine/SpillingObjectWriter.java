package dev.coffer.s3.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * The embedded engine's {@link ObjectWriter}: keeps up to the inline threshold in memory; past it,
 * spills what it holds to a new data file and streams the rest there, so memory stays bounded by
 * the threshold. {@link #seal} makes the bytes durable before the store commits a record to them.
 *
 * <p>Write-behind: while a file grows, every {@value #WRITE_BEHIND_BYTES} bytes not yet flushed
 * start an {@code fdatasync} on a virtual thread (one at a time per file), so the disk writes the
 * object while the rest of the body is still arriving and {@link #seal}'s own sync finds little
 * left to do. Durability still rests on {@link #seal} alone; a background sync that failed fails
 * the seal (Linux reports a writeback error to one sync only).
 */
final class SpillingObjectWriter implements ObjectWriter {
    private enum State { OPEN, SEALED, COMMITTED, CLOSED }

    /** Sealed bytes: a reference, and for inline data the bytes that go into the same batch. */
    record Sealed(DataRef ref, byte[] inlineBytes) {
    }

    private static final int FIRST_BUFFER_BYTES = 8 * 1024;
    static final int WRITE_BEHIND_BYTES = 256 * 1024;

    private final DataFiles files;
    private final String bucket;
    private final int thresholdBytes;
    private byte[] buffer = new byte[0];
    private int buffered;
    private DataFiles.NewFile file;
    private long written;
    private State state = State.OPEN;
    private Sealed sealed;
    /** Bytes in the data file; how many there were when the last background sync started; that sync. */
    private long fileBytes;
    private long syncStartedAt;
    private Thread backgroundSync;
    private int backgroundSyncsStarted;
    private volatile IOException backgroundSyncFailure;

    SpillingObjectWriter(DataFiles files, String bucket, int thresholdBytes) {
        this.files = files;
        this.bucket = bucket;
        this.thresholdBytes = thresholdBytes;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state.name().toLowerCase());
        }
        if (file == null && (long) buffered + length <= thresholdBytes) {
            ensureCapacity(buffered + length);
            System.arraycopy(bytes, offset, buffer, buffered, length);
            buffered += length;
        } else {
            if (file == null) {
                spill();
            }
            writeToFile(ByteBuffer.wrap(bytes, offset, length));
        }
        written += length;
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    /** How many write-behind syncs this writer started (for tests). */
    int backgroundSyncsStarted() {
        return backgroundSyncsStarted;
    }

    boolean belongsTo(DataFiles store, String bucketName) {
        return files == store && bucket.equals(bucketName);
    }

    /**
     * Ends writing and makes the bytes durable: a data file is forced and its name synced into the
     * directory; inline bytes become durable with the record's batch. Idempotent.
     */
    Sealed seal() {
        if (state == State.SEALED) {
            return sealed;
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state.name().toLowerCase());
        }
        if (file == null) {
            sealed = new Sealed(new DataRef(DataRef.Location.INLINE, files.newId(), buffered), Arrays.copyOf(buffer, buffered));
        } else {
            try {
                awaitBackgroundSync();
                file.channel().force(true);
                file.channel().close();
                files.awaitDirectorySync();
            } catch (IOException e) {
                throw new EngineException(EngineException.Kind.IO, "cannot make a data file durable", e);
            }
            sealed = new Sealed(new DataRef(DataRef.Location.FILE, file.id(), written), null);
        }
        buffer = null;
        state = State.SEALED;
        return sealed;
    }

    /**
     * The store is about to commit a record to these bytes: from now on they are the store's, and
     * closing the writer leaves them alone. Called before the write, not after: if the write fails
     * after reaching the log, a file deleted here would leave a record without its data, whereas a
     * file kept without a record is an orphan that the next open removes.
     */
    void handOver() {
        if (state != State.SEALED) {
            throw new IllegalStateException("writer must be sealed before its data is committed");
        }
        state = State.COMMITTED;
    }

    @Override
    public void close() {
        if (state == State.COMMITTED || state == State.CLOSED) {
            state = State.CLOSED;
            return;
        }
        state = State.CLOSED;
        buffer = null;
        if (file != null) {
            try {
                awaitBackgroundSync();
            } catch (IOException ignored) {
                // The file is being deleted: its sync no longer matters.
            }
            DataFiles.closeQuietly(file.channel());
            files.delete(file.id());
        }
    }

    private void spill() {
        try {
            file = files.create();
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.IO, "cannot create a data file", e);
        }
        writeToFile(ByteBuffer.wrap(buffer, 0, buffered));
        buffer = null;
        buffered = 0;
    }

    private void writeToFile(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                fileBytes += file.channel().write(bytes);
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.IO, "cannot write a data file", e);
        }
        startBackgroundSyncIfDue();
    }

    private void startBackgroundSyncIfDue() {
        if (fileBytes - syncStartedAt < WRITE_BEHIND_BYTES || (backgroundSync != null && backgroundSync.isAlive())) {
            return;
        }
        syncStartedAt = fileBytes;
        backgroundSyncsStarted++;
        FileChannel channel = file.channel();
        backgroundSync = Thread.ofVirtual().name("data-write-behind").start(() -> {
            try {
                channel.force(false);
            } catch (ClosedChannelException closed) {
                // The writer was closed (an aborted upload); nothing to keep.
            } catch (IOException e) {
                backgroundSyncFailure = e;
            }
        });
    }

    private void awaitBackgroundSync() throws IOException {
        if (backgroundSync != null) {
            try {
                backgroundSync.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while a data file was being synced", e);
            }
        }
        if (backgroundSyncFailure != null) {
            throw backgroundSyncFailure;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = Math.max(needed, Math.max(FIRST_BUFFER_BYTES, buffer.length * 2));
            buffer = Arrays.copyOf(buffer, Math.min(grown, Math.max(needed, thresholdBytes)));
        }
    }
}

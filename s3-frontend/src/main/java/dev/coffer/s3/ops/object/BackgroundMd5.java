package dev.coffer.s3.ops.object;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The MD5 of an upload body, computed on a virtual thread of its own while the caller verifies,
 * checksums and writes the same bytes: MD5 runs at ~0.8 GB/s on one core here, the largest single
 * cost of a large PUT, and done in line it lengthens every such request by about 1.3 ms per MB
 * whenever a core is free to take it.
 *
 * <p>{@link #update} copies the bytes into one of a fixed set of chunk buffers and queues it; when
 * all are queued it waits for the hasher, which bounds the memory to {@value #CHUNKS} chunks of
 * {@value #CHUNK_BYTES} bytes per upload. {@link #digest} waits for the hasher and returns the MD5;
 * {@link #close} stops the hasher whatever state the upload ended in. Not thread-safe: one caller.
 */
final class BackgroundMd5 implements AutoCloseable {
    static final int CHUNK_BYTES = 64 * 1024;
    static final int CHUNKS = 8;

    /** A queued piece of the body; {@code length < 0} ends the hashing. */
    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<Chunk> queued = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final MessageDigest md5;
    private final Thread hasher;
    private int allocated;
    private boolean ended;
    private volatile byte[] result;

    BackgroundMd5(MessageDigest md5) {
        this.md5 = md5;
        this.hasher = Thread.ofVirtual().name("upload-md5").start(this::hash);
    }

    void update(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (ended) {
            throw new IllegalStateException("the MD5 was already finished");
        }
        int done = 0;
        while (done < length) {
            byte[] chunk = freeChunk();
            int n = Math.min(chunk.length, length - done);
            System.arraycopy(bytes, offset + done, chunk, 0, n);
            enqueue(new Chunk(chunk, n));
            done += n;
        }
    }

    /** Waits for every queued byte to be hashed; returns the MD5 (16 bytes). */
    byte[] digest() throws IOException {
        end();
        try {
            hasher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the upload's MD5 was being finished");
        }
        return result.clone();
    }

    /** Ends the hasher without waiting for a result: for an upload that failed part way. */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            hasher.interrupt();
        }
    }

    /** Whether the hasher thread has ended (for tests). */
    boolean hasherEnded() {
        return !hasher.isAlive();
    }

    private void hash() {
        try {
            while (true) {
                Chunk chunk = queued.take();
                if (chunk.length() < 0) {
                    result = md5.digest();
                    return;
                }
                md5.update(chunk.bytes(), 0, chunk.length());
                free.offer(chunk.bytes());
            }
        } catch (InterruptedException stopped) {
            // close(): the upload failed and nobody wants the digest
        }
    }

    private byte[] freeChunk() throws IOException {
        byte[] chunk = free.poll();
        if (chunk != null) {
            return chunk;
        }
        if (allocated < CHUNKS) {
            allocated++;
            return new byte[CHUNK_BYTES];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the upload's MD5");
        }
    }

    private void enqueue(Chunk chunk) throws IOException {
        try {
            queued.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing bytes for the upload's MD5");
        }
    }

    private void end() throws IOException {
        if (!ended) {
            ended = true;
            enqueue(END);
        }
    }
}

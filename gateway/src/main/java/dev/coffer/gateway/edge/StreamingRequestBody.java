package dev.coffer.gateway.edge;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body handed from the event loop to a streaming service's thread. The event loop
 * {@link #offer}s each chunk as it arrives and reads from the socket again only while less than
 * {@link #HIGH_WATER_BYTES} is buffered; the reader resumes socket reads once it has drained the
 * buffer below {@link #LOW_WATER_BYTES}. So a slow consumer (a disk, a KMS) slows the client
 * down instead of filling memory.
 *
 * <p>Buffers: each offered {@link ByteBuf} is owned here until its bytes are copied out, then released.
 */
final class StreamingRequestBody extends InputStream {
    static final int HIGH_WATER_BYTES = 1024 * 1024;
    static final int LOW_WATER_BYTES = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final Runnable resumeReading;
    /** Sends "100 Continue" to a client that waits for it, once, when the service first wants the body. */
    private volatile Runnable continueOnce;
    private long bufferedBytes;
    private boolean ended;
    private boolean paused;
    private boolean discarding;
    private IOException failure;

    /** @param resumeReading asks the event loop for the next chunk; called from the reading thread */
    StreamingRequestBody(Runnable resumeReading) {
        this(resumeReading, null);
    }

    /** @param sendContinue writes the interim "100 Continue" answer; null if the client did not ask for one */
    StreamingRequestBody(Runnable resumeReading, Runnable sendContinue) {
        this.resumeReading = resumeReading;
        this.continueOnce = sendContinue;
    }

    /**
     * Takes ownership of {@code chunk} (event loop only).
     *
     * @return whether the event loop should read the next chunk now
     */
    boolean offer(ByteBuf chunk, boolean last) {
        lock.lock();
        try {
            if (discarding || failure != null) {
                chunk.release();
            } else if (chunk.isReadable()) {
                chunks.add(chunk);
                bufferedBytes += chunk.readableBytes();
            } else {
                chunk.release();
            }
            ended |= last;
            changed.signalAll();
            if (last) {
                return false;
            }
            if (!discarding && bufferedBytes >= HIGH_WATER_BYTES) {
                paused = true;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The connection failed or closed: a blocked reader wakes up with {@code cause}. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            releaseAll();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The service is done with the body: whatever is buffered or still arrives is dropped.
     *
     * @return whether reading had been paused, so the event loop must read again to drain the rest
     */
    boolean discardRest() {
        lock.lock();
        try {
            discarding = true;
            releaseAll();
            boolean wasPaused = paused;
            paused = false;
            changed.signalAll();
            return wasPaused;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the client still waits for "100 Continue" before it sends the body (so it may never send it). */
    boolean awaitingContinue() {
        return continueOnce != null;
    }

    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        boolean resume = false;
        int copied;
        Runnable sendContinue = continueOnce;
        if (sendContinue != null) {
            continueOnce = null;
            sendContinue.run();
        }
        lock.lock();
        try {
            while (chunks.isEmpty() && !ended && failure == null && !discarding) {
                changed.awaitUninterruptibly();
            }
            if (failure != null) {
                throw new IOException("request body unavailable: " + failure.getMessage(), failure);
            }
            if (chunks.isEmpty()) {
                return -1;
            }
            copied = 0;
            while (copied < length && !chunks.isEmpty()) {
                ByteBuf head = chunks.peek();
                int n = Math.min(length - copied, head.readableBytes());
                head.readBytes(target, offset + copied, n);
                copied += n;
                if (!head.isReadable()) {
                    chunks.poll().release();
                }
            }
            bufferedBytes -= copied;
            if (paused && bufferedBytes <= LOW_WATER_BYTES) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            resumeReading.run();
        }
        return copied;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, bufferedBytes);
        } finally {
            lock.unlock();
        }
    }

    private void releaseAll() {
        while (!chunks.isEmpty()) {
            chunks.poll().release();
        }
        bufferedBytes = 0;
    }
}

package dev.coffer.perf.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the machine can move over TCP on 127.0.0.1, the path every request of the benchmark takes: one
 * or more streams, each a blocking {@link SocketChannel} pair in this JVM with a thread writing 1 MiB
 * buffers as fast as the kernel takes them and a thread reading them into a 1 MiB buffer, for a while.
 * No protocol, no copy into Java objects, no verification: an upper bound for an S3 GET or PUT body
 * through one connection per request in flight. MB are 10^6 bytes.
 */
final class LoopbackThroughput {
    static final int WRITE_BYTES = 1 << 20;

    private LoopbackThroughput() {}

    /** Bytes read by all streams over the time from the first write to the last read, in MB/s. */
    static double measureMegabytesPerSecond(int streams, Duration duration) throws IOException, InterruptedException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<SocketChannel> channels = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            AtomicLong received = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try {
                for (int i = 0; i < streams; i++) {
                    SocketChannel writer = SocketChannel.open(server.getLocalAddress());
                    SocketChannel reader = server.accept();
                    channels.add(writer);
                    channels.add(reader);
                }
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                for (int i = 0; i < streams; i++) {
                    SocketChannel writer = channels.get(2 * i);
                    SocketChannel reader = channels.get(2 * i + 1);
                    threads.add(Thread.ofPlatform().name("loopback-write-" + i).start(() -> write(writer, deadline, failure)));
                    threads.add(Thread.ofPlatform().name("loopback-read-" + i).start(() -> read(reader, received, failure)));
                }
                for (Thread t : threads) {
                    t.join();
                }
                long nanos = System.nanoTime() - start;
                if (failure.get() != null) {
                    throw new IOException("loopback measurement failed", failure.get());
                }
                return received.get() / (nanos / 1e9) / 1e6;
            } finally {
                for (SocketChannel c : channels) {
                    c.close();
                }
            }
        }
    }

    private static void write(SocketChannel channel, long deadline, AtomicReference<Throwable> failure) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
        try (channel) {
            while (System.nanoTime() < deadline && failure.get() == null) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void read(SocketChannel channel, AtomicLong received, AtomicReference<Throwable> failure) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
        try {
            long n;
            while ((n = channel.read(buffer.clear())) >= 0) {
                received.addAndGet(n);
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }
}

package dev.coffer.perf.s3;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One timed round against one server: {@code concurrency} requests in flight all the time (each
 * completion starts the next one) for {@code duration}, then the requests still in flight finish and
 * are counted. Throughput is every completed request over the time from the first start to the last
 * completion, so no request is counted in part and none is cut off.
 */
final class LoadRound {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    /** Starts request number {@code sequence} (0, 1, 2, ... across all slots of the round). */
    interface Request {
        CompletableFuture<?> start(long sequence);

        /**
         * The kind of request {@code sequence} is (e.g. a mixed row's "GET" and "PUT"), whose latencies are
         * also kept apart; null (the default) when a round has one kind.
         */
        default String kind(long sequence) {
            return null;
        }
    }

    /**
     * What a round measured.
     *
     * @param latencyNanos one value per completed request, first byte sent to last byte received
     * @param serverCpuNanos the server process's user + system CPU time during the round
     * @param clientCpuNanos this JVM's CPU time during the round (the SDK client and the verification)
     * @param latencyNanosByKind the latencies of each kind of request, when the round had kinds; else empty
     */
    record Result(long requests, long nanos, Histogram latencyNanos, long serverCpuNanos, long clientCpuNanos,
                  Map<String, Histogram> latencyNanosByKind) {
        Result(long requests, long nanos, Histogram latencyNanos, long serverCpuNanos, long clientCpuNanos) {
            this(requests, nanos, latencyNanos, serverCpuNanos, clientCpuNanos, Map.of());
        }

        double requestsPerSecond() {
            return requests / (nanos / 1e9);
        }
    }

    private LoadRound() {}

    static Result run(S3ServerProcess server, int concurrency, Duration duration, Request request)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sequence = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch slotsDone = new CountDownLatch(concurrency);
        Recorder recorder = new Recorder(3);
        Map<String, Recorder> byKind = new ConcurrentHashMap<>();

        long serverCpuBefore = server.cpuNanos();
        long clientCpuBefore = OS.getProcessCpuTime();
        long start = System.nanoTime();
        lastCompletion.set(start);
        Runnable[] slots = new Runnable[concurrency];
        for (int i = 0; i < concurrency; i++) {
            slots[i] = new Runnable() {
                @Override
                public void run() {
                    if (stop.get() || failure.get() != null) {
                        slotsDone.countDown();
                        return;
                    }
                    long begin = System.nanoTime();
                    long n = sequence.getAndIncrement();
                    CompletableFuture<?> f;
                    String kind;
                    try {
                        kind = request.kind(n);
                        f = request.start(n);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        slotsDone.countDown();
                        return;
                    }
                    f.whenComplete((ignored, error) -> {
                        long end = System.nanoTime();
                        if (error != null) {
                            failure.compareAndSet(null, error);
                            slotsDone.countDown();
                            return;
                        }
                        recorder.recordValue(end - begin);
                        if (kind != null) {
                            byKind.computeIfAbsent(kind, k -> new Recorder(3)).recordValue(end - begin);
                        }
                        completed.incrementAndGet();
                        lastCompletion.accumulateAndGet(end, Math::max);
                        run();
                    });
                }
            };
        }
        for (Runnable slot : slots) {
            slot.run();
        }
        long sleepUntil = start + duration.toNanos();
        while (failure.get() == null && System.nanoTime() < sleepUntil) {
            TimeUnit.NANOSECONDS.sleep(Math.min(sleepUntil - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
        }
        stop.set(true);
        if (!slotsDone.await(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(server.name() + ": requests still in flight " + DRAIN_TIMEOUT + " after the round");
        }
        long clientCpu = OS.getProcessCpuTime() - clientCpuBefore;
        long serverCpu = server.cpuNanos() - serverCpuBefore;
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException(server.name() + ": a request failed; the run is void", error);
        }
        Map<String, Histogram> kinds = new TreeMap<>();
        byKind.forEach((kind, r) -> kinds.put(kind, r.getIntervalHistogram()));
        return new Result(completed.get(), lastCompletion.get() - start, recorder.getIntervalHistogram(), serverCpu, clientCpu,
                kinds);
    }
}

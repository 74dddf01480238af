package dev.coffer.perf.s3;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one row measured: the rounds of each target, in run order, their statistics, and the dd
 * figures taken between its rounds (only for the rows held against the disk's speed; else empty).
 */
record S3RowResult(S3Workload workload, Map<String, List<Round>> rounds, List<Double> diskMegabytesPerSecond) {

    /** One timed round, and the machine's 1-minute load average when it started. */
    record Round(LoadRound.Result result, double loadAverage) {}

    /**
     * The statistics of one server's rounds in this row, in the row's unit; latency percentiles over all
     * its rounds, and apart for each kind of request when the row has kinds (a mixed row's GET and PUT).
     * {@code medianMegabytesPerSecond} is the median round's object bytes moved per second.
     */
    record Stats(double median, double min, double max, double p50Millis, double p99Millis,
                 double serverCpuMicrosPerRequest, double clientCpuMicrosPerRequest, double serverCoresBusy,
                 double clientCoresBusy,
                 long requests, double maxLoadAverage, Latency latency, Map<String, Latency> latencyByKind,
                 double medianMegabytesPerSecond) {}

    /** Latency percentiles in milliseconds, and how many requests they are over. */
    record Latency(double p50Millis, double p90Millis, double p99Millis, double p999Millis, long count) {
        static Latency of(Histogram h) {
            return new Latency(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                    h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getTotalCount());
        }
    }

    Stats stats(String server) {
        List<Round> list = rounds.get(server);
        double[] rates = list.stream().mapToDouble(r -> workload.rate(r.result().requestsPerSecond())).sorted().toArray();
        double[] megabytes = list.stream().mapToDouble(r -> workload.megabytes(r.result().requestsPerSecond())).sorted().toArray();
        Histogram latency = new Histogram(3);
        Map<String, Histogram> byKind = new TreeMap<>();
        long requests = 0;
        long serverCpu = 0;
        long clientCpu = 0;
        long nanos = 0;
        double maxLoad = 0;
        for (Round r : list) {
            latency.add(r.result().latencyNanos());
            r.result().latencyNanosByKind().forEach((kind, h) -> byKind.computeIfAbsent(kind, k -> new Histogram(3)).add(h));
            requests += r.result().requests();
            serverCpu += r.result().serverCpuNanos();
            clientCpu += r.result().clientCpuNanos();
            nanos += r.result().nanos();
            maxLoad = Math.max(maxLoad, r.loadAverage());
        }
        return new Stats(median(rates), rates[0], rates[rates.length - 1],
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                serverCpu / 1e3 / requests, clientCpu / 1e3 / requests, (double) serverCpu / nanos, (double) clientCpu / nanos,
                requests, maxLoad, Latency.of(latency), latencyByKind(byKind), median(megabytes));
    }

    private static Map<String, Latency> latencyByKind(Map<String, Histogram> byKind) {
        Map<String, Latency> m = new TreeMap<>();
        byKind.forEach((kind, h) -> m.put(kind, Latency.of(h)));
        return m;
    }

    /** The like-for-like pair: both clients with checksums WHEN_REQUIRED. */
    static final String COFFER = "coffer-when-required";
    static final String PEER = "s3proxy";

    /** Coffer's median over s3proxy's, both with checksums WHEN_REQUIRED; NaN when one did not run. */
    double ratio() {
        return ratio(COFFER);
    }

    /** {@code target}'s median over s3proxy's; NaN when one did not run. */
    double ratio(String target) {
        if (!rounds.containsKey(target) || !rounds.containsKey(PEER)) {
            return Double.NaN;
        }
        return stats(target).median() / stats(PEER).median();
    }

    /** The ratio of each round pair (Coffer round i over s3proxy round i): its spread shows drift. */
    double[] pairRatios() {
        if (!rounds.containsKey(COFFER) || !rounds.containsKey(PEER)) {
            return new double[0];
        }
        List<Round> a = rounds.get(COFFER);
        List<Round> b = rounds.get(PEER);
        double[] ratios = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i).result().requestsPerSecond() / b.get(i).result().requestsPerSecond();
        }
        Arrays.sort(ratios);
        return ratios;
    }

    String oneLine() {
        StringBuilder b = new StringBuilder(workload.id());
        for (String server : rounds.keySet()) {
            Stats s = stats(server);
            b.append(String.format(Locale.ROOT, "  %s %,.0f %s (%,.0f-%,.0f) p50 %.2f ms p99 %.2f ms", server, s.median(),
                    workload.unit(), s.min(), s.max(), s.p50Millis(), s.p99Millis()));
        }
        double ratio = ratio();
        if (!Double.isNaN(ratio)) {
            b.append(String.format(Locale.ROOT, "  ratio %.2f", ratio));
        }
        return b.toString();
    }

    /** The median of the dd figures taken between this row's rounds; NaN when none were. */
    double diskMegabytesPerSecondMedian() {
        double[] sorted = diskMegabytesPerSecond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : median(sorted);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

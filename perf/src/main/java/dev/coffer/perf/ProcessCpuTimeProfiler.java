package dev.coffer.perf;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time the benchmark JVM spent per operation
 * ({@code cpu.time.norm}, ns/op), beside JMH's wall-clock score.
 *
 * <p>Why: on a small shared machine (two cores, other builds running) the wall-clock time of an
 * iteration grows whenever the scheduler gives the core to someone else, by up to 3x here, and
 * unevenly between the raw and the format benchmarks that a ratio compares. CPU time does not grow
 * while the thread waits. It still includes the JVM's own work for the benchmark (GC of what it
 * allocates, late JIT), which is part of the format's cost. Use: {@code -prof dev.coffer.perf.ProcessCpuTimeProfiler}.
 */
public final class ProcessCpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuNanosBefore;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark JVM per operation (robust to time-sharing with other processes)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuNanosBefore = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                    IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - cpuNanosBefore;
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpuNanos < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", (double) cpuNanos / ops, "ns/op", AggregationPolicy.AVG));
    }
}

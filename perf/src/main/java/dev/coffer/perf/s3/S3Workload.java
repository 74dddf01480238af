package dev.coffer.perf.s3;

import java.util.Locale;

/** One row of the benchmark: an operation on objects of one size at one concurrency. */
record S3Workload(Operation operation, long objectBytes, int concurrency) {
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    enum Operation { PUT, GET }

    /** A stable id for filters and JSON: {@code put-4KiB-c16}. */
    String id() {
        return operation.name().toLowerCase(Locale.ROOT) + "-" + sizeLabel().replace(" ", "") + "-c" + concurrency;
    }

    String sizeLabel() {
        return objectBytes >= MIB ? objectBytes / MIB + " MiB" : objectBytes / KIB + " KiB";
    }

    /** Small objects are counted in requests per second, large ones in MB/s (10^6 bytes). */
    boolean megabytesPerSecond() {
        return objectBytes >= MIB;
    }

    String unit() {
        return megabytesPerSecond() ? "MB/s" : operation == Operation.PUT ? "PUT/s" : "GET/s";
    }

    /** Requests per second converted to this row's unit. */
    double rate(double requestsPerSecond) {
        return megabytesPerSecond() ? requestsPerSecond * objectBytes / 1e6 : requestsPerSecond;
    }
}

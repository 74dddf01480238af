package dev.coffer.perf.s3;

import java.util.Locale;

/**
 * One row of the benchmark: an operation on objects of one size at one concurrency. A row's id and
 * label name the size it stands for ({@code nominalBytes}); the objects it moves are {@code objectBytes},
 * the same but in a {@code --tiny} run, where smaller objects stand in for the large ones so that every
 * row's path runs in a few hundred milliseconds.
 */
record S3Workload(Operation operation, long objectBytes, int concurrency, long nominalBytes) {
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    /** MIXED: 70% GETs (each verified) and 30% PUTs of new keys, over a set of keys written beforehand. */
    enum Operation { PUT, GET, MIXED }

    S3Workload(Operation operation, long objectBytes, int concurrency) {
        this(operation, objectBytes, concurrency, objectBytes);
    }

    /** A stable id for filters and JSON: {@code put-4KiB-c16}. */
    String id() {
        return operation.name().toLowerCase(Locale.ROOT) + "-" + sizeLabel().replace(" ", "") + "-c" + concurrency;
    }

    String sizeLabel() {
        return label(nominalBytes);
    }

    static String label(long bytes) {
        return bytes >= MIB ? bytes / MIB + " MiB" : bytes / KIB + " KiB";
    }

    /** Whether this row moves smaller objects than its id says (a {@code --tiny} run). */
    boolean standIn() {
        return objectBytes != nominalBytes;
    }

    /** The row's largest objects, held against the disk's and the loopback's speed. */
    boolean large() {
        return nominalBytes == 64 * MIB;
    }

    /** Small objects are counted in requests per second, large ones in MB/s (10^6 bytes); mixed rows in operations per second. */
    boolean megabytesPerSecond() {
        return operation != Operation.MIXED && nominalBytes >= MIB;
    }

    String unit() {
        return megabytesPerSecond() ? "MB/s" : switch (operation) {
            case PUT -> "PUT/s";
            case GET -> "GET/s";
            case MIXED -> "ops/s";
        };
    }

    /** Requests per second converted to this row's unit. */
    double rate(double requestsPerSecond) {
        return megabytesPerSecond() ? requestsPerSecond * objectBytes / 1e6 : requestsPerSecond;
    }

    /** Requests per second as MB/s of object bytes moved (every request, PUT or GET, moves one object). */
    double megabytes(double requestsPerSecond) {
        return requestsPerSecond * objectBytes / 1e6;
    }
}

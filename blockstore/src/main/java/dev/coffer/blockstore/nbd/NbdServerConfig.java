package dev.coffer.blockstore.nbd;

import java.time.Duration;
import java.util.Objects;

/**
 * The NBD server's settings, validated once. The limits on what one client may send (a 32 MiB
 * payload, 4096-byte names) are the protocol's and are fixed in {@link NbdWire}, not settings.
 *
 * @param maxInFlightRequestsPerConnection {@code coffer.blockstore.nbd.maxInFlightRequestsPerConnection}:
 *     requests one connection may have running before the server stops reading from it
 * @param maxInFlightBytesPerConnection {@code coffer.blockstore.nbd.maxInFlightBytesPerConnection}:
 *     bytes of write payload and read data one connection may hold before the server stops reading
 *     from it (one request of up to 32 MiB may go over)
 * @param handshakeTimeout {@code coffer.blockstore.nbd.handshakeTimeout}: how long a client may
 *     be silent during the handshake before it is disconnected
 * @param closeTimeout {@code coffer.blockstore.nbd.closeTimeout}: how long {@link NbdServer#close()}
 *     lets connections finish their requests before closing them anyway
 * @param workerThreads {@code coffer.blockstore.nbd.workerThreads}: the size of the worker pool a
 *     server makes when the caller gives it none
 */
public record NbdServerConfig(int maxInFlightRequestsPerConnection, long maxInFlightBytesPerConnection,
                              Duration handshakeTimeout, Duration closeTimeout, int workerThreads) {
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 64;
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES_PER_CONNECTION = 64L * 1024 * 1024;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_WORKER_THREADS = 16;

    public NbdServerConfig {
        Objects.requireNonNull(handshakeTimeout, "coffer.blockstore.nbd.handshakeTimeout");
        Objects.requireNonNull(closeTimeout, "coffer.blockstore.nbd.closeTimeout");
        if (maxInFlightRequestsPerConnection < 1) {
            throw new IllegalArgumentException("coffer.blockstore.nbd.maxInFlightRequestsPerConnection must be at least 1, was "
                    + maxInFlightRequestsPerConnection);
        }
        if (maxInFlightBytesPerConnection < 1) {
            throw new IllegalArgumentException("coffer.blockstore.nbd.maxInFlightBytesPerConnection must be at least 1, was "
                    + maxInFlightBytesPerConnection);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("coffer.blockstore.nbd.handshakeTimeout must be positive, was "
                    + handshakeTimeout);
        }
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("coffer.blockstore.nbd.closeTimeout must not be negative, was "
                    + closeTimeout);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("coffer.blockstore.nbd.workerThreads must be at least 1, was "
                    + workerThreads);
        }
    }

    public static NbdServerConfig defaults() {
        return new NbdServerConfig(DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                DEFAULT_MAX_IN_FLIGHT_BYTES_PER_CONNECTION, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_CLOSE_TIMEOUT,
                DEFAULT_WORKER_THREADS);
    }
}

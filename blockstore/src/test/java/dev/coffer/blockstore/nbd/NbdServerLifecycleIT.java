package dev.coffer.blockstore.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting and stopping the server, and what it does to the connections it has. */
class NbdServerLifecycleIT {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void closeAnswersInFlightRequestsThenClosesConnectionsAndStopsListening() throws Exception {
        NbdExports exports = new NbdExports();
        MemoryBlockDevice device = new MemoryBlockDevice(1 << 20, 4096);
        exports.publish("vol", "", device);
        NbdServer server = NbdServer.start(LOOPBACK_ANY_PORT, exports);
        InetSocketAddress address = server.address();
        assertThat(address.getPort()).isPositive();
        try (NbdRawClient client = NbdRawClient.connect(address, "vol")) {
            device.hold();
            client.read(1, 0, 4096);
            waitUntil(() -> device.held.get() == 1);
            Thread closer = Thread.ofPlatform().start(server::close);
            Thread.sleep(200);
            assertThat(closer.isAlive()).as("close waits for the request in flight").isTrue();
            device.release();
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(0, 1));
            client.readData(4096);
            assertThat(client.closedByServer()).isTrue();
            closer.join(Duration.ofSeconds(10));
            assertThat(closer.isAlive()).isFalse();
        }
        assertThat(exports.names()).as("closing a server leaves the exports published").containsExactly("vol");
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aClientSilentDuringTheHandshakeIsDisconnected() throws Exception {
        var config = new NbdServerConfig(64, 64 << 20, Duration.ofMillis(300), Duration.ofSeconds(1), 2);
        try (NbdServer server = NbdServer.start(LOOPBACK_ANY_PORT, new NbdExports(), config);
             NbdRawClient client = new NbdRawClient(server.address())) {
            // The client flags were sent; no option follows.
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aTakenPortFailsTheStart() throws Exception {
        try (NbdServer first = NbdServer.start(LOOPBACK_ANY_PORT, new NbdExports())) {
            assertThatThrownBy(() -> NbdServer.start(first.address(), new NbdExports()))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot listen for NBD");
        }
    }

    @Test
    void settingsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> new NbdServerConfig(0, 1, Duration.ofSeconds(1), Duration.ZERO, 1))
                .hasMessageContaining("coffer.blockstore.nbd.maxInFlightRequestsPerConnection");
        assertThatThrownBy(() -> new NbdServerConfig(1, 1, Duration.ZERO, Duration.ZERO, 1))
                .hasMessageContaining("coffer.blockstore.nbd.handshakeTimeout");
        assertThatThrownBy(() -> new NbdServerConfig(1, 1, Duration.ofSeconds(1), Duration.ZERO, 0))
                .hasMessageContaining("coffer.blockstore.nbd.workerThreads");
    }

    @Test
    void theDefaultExportCannotBePublishedAndNamesAreUnique() {
        NbdExports exports = new NbdExports();
        MemoryBlockDevice device = new MemoryBlockDevice(4096, 4096);
        assertThatThrownBy(() -> exports.publish("", "", device)).isInstanceOf(IllegalArgumentException.class);
        exports.publish("vol", "", device);
        assertThatThrownBy(() -> exports.publish("vol", "", device)).isInstanceOf(IllegalStateException.class);
        assertThat(exports.withdraw("never-published")).isDone();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}

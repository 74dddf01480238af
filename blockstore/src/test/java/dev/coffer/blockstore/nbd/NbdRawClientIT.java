package dev.coffer.blockstore.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What real clients never send, from a hand-written client against the real server on loopback. */
class NbdRawClientIT {
    private static final int SIZE = 4 << 20;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static NbdExports exports;
    private static NbdServer server;

    private MemoryBlockDevice device;
    private String name;

    @BeforeAll
    static void startServer() throws IOException {
        exports = new NbdExports();
        server = NbdServer.start(new InetSocketAddress("127.0.0.1", 0), exports);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void publish() {
        device = new MemoryBlockDevice(SIZE, 4096);
        name = "raw-" + NAMES.incrementAndGet();
        exports.publish(name, "", device);
    }

    @AfterEach
    void withdraw() throws Exception {
        device.release();
        exports.withdraw(name).get(10, TimeUnit.SECONDS);
    }

    private NbdRawClient connect() throws IOException {
        return NbdRawClient.connect(server.address(), name);
    }

    @Test
    void readPastTheEndIsEinvalThenAReadOnTheSameConnectionWorks() throws IOException {
        try (NbdRawClient client = connect()) {
            client.read(1, SIZE - 512, 1024);
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(22, 1));
            client.read(2, SIZE - 512, 512);
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(0, 2));
            assertThat(client.readData(512)).containsOnly(0);
        }
    }

    @Test
    void writePastTheEndIsEinvalItsPayloadIsConsumedAndTheConnectionGoesOn() throws IOException {
        try (NbdRawClient client = connect()) {
            byte[] data = new byte[8192];
            Arrays.fill(data, (byte) 0x5a);
            client.write(1, SIZE - 4096, data);
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(22, 1));
            client.write(2, 0, data);
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(0, 2));
            assertThat(device.contents(0, data.length)).isEqualTo(data);
            assertThat(device.contents(SIZE - 4096, 4096)).containsOnly(0);
        }
    }

    @Test
    void anOversizedWriteIsEinvalAndTheConnectionGoesOn() throws IOException {
        try (NbdRawClient client = connect()) {
            int length = 33 << 20;
            client.sendRequest(0, NbdRawClient.WRITE, 1, 0, length);
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 1);
            for (int sent = 0; sent < length; sent += chunk.length) {
                client.out.write(chunk);
            }
            client.out.flush();
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(22, 1));
            client.read(2, 0, 4096);
            assertThat(client.readReply()).isEqualTo(new NbdRawClient.Reply(0, 2));
            assertThat(client.readData(4096)).containsOnly(0);
            assertThat(device.writes.get()).isZero();
        }
    }

    @Test
    void badMagicClosesThatConnectionOnlyAndAnotherKeepsWorking() throws IOException {
        try (NbdRawClient good = connect(); NbdRawClient bad = connect()) {
            bad.out.writeInt(0x12345678);
            bad.out.write(new byte[24]);
            bad.out.flush();
            assertThat(bad.closedByServer()).isTrue();
            good.read(7, 0, 512);
            assertThat(good.readReply()).isEqualTo(new NbdRawClient.Reply(0, 7));
            good.readData(512);
        }
    }

    @Test
    void optAbortIsAcknowledgedAndTheServerCloses() throws IOException {
        try (NbdRawClient client = new NbdRawClient(server.address())) {
            client.sendOption(2, new byte[0]);
            assertThat(client.readOptionReply().type()).isEqualTo(NbdWire.REP_ACK);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void discAnswersNothingAndTheServerCloses() throws IOException {
        try (NbdRawClient client = connect()) {
            client.sendRequest(0, NbdRawClient.DISC, 1, 0, 0);
            client.out.flush();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatDisconnectsWithoutDiscIsForgotten() throws Exception {
        NbdRawClient client = connect();
        client.write(1, 0, new byte[4096]);
        client.read(2, 0, 4096);
        client.socket.close();
        try (NbdRawClient next = connect()) {
            next.read(3, 0, 512);
            assertThat(next.readReply()).isEqualTo(new NbdRawClient.Reply(0, 3));
            next.readData(512);
        }
        // Nothing is attached any more, so a withdraw has nothing to wait for.
        exports.withdraw(name).get(5, TimeUnit.SECONDS);
    }

    @Test
    void pipelinedRequestsAreAllAnsweredWithTheirCookies() throws IOException {
        try (NbdRawClient client = connect()) {
            int count = 200;
            for (int i = 0; i < count; i++) {
                client.sendRequest(0, NbdRawClient.READ, 1000 + i, (long) i * 4096, 4096);
            }
            client.out.flush();
            Set<Long> cookies = new HashSet<>();
            for (int i = 0; i < count; i++) {
                NbdRawClient.Reply reply = client.readReply();
                assertThat(reply.error()).isZero();
                client.readData(4096);
                cookies.add(reply.cookie());
            }
            assertThat(cookies).hasSize(count);
        }
    }

    @Test
    void withdrawAnswersInFlightRequestsThenClosesAndRefusesNewConnections() throws Exception {
        try (NbdRawClient client = connect()) {
            device.hold();
            client.read(1, 0, 4096);
            client.read(2, 4096, 4096);
            client.write(3, 8192, new byte[4096]);
            client.sendRequest(0, NbdRawClient.FLUSH, 4, 0, 0);
            client.out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (device.held.get() < 4) {
                assertThat(System.nanoTime()).as("requests reach the device").isLessThan(deadline);
                Thread.sleep(10);
            }

            CompletableFuture<Void> withdrawn = exports.withdraw(name);
            try (NbdRawClient late = new NbdRawClient(server.address())) {
                late.sendGo(name);
                assertThat(late.readOptionReply().type()).isEqualTo(NbdWire.REP_ERR_UNKNOWN);
            }
            assertThat(withdrawn).isNotDone();

            device.release();
            Set<Long> answered = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                NbdRawClient.Reply reply = client.readReply();
                assertThat(reply.error()).isZero();
                if (reply.cookie() <= 2) {
                    client.readData(4096);
                }
                answered.add(reply.cookie());
            }
            assertThat(answered).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            assertThat(client.closedByServer()).isTrue();
            withdrawn.get(10, TimeUnit.SECONDS);
        }
    }
}

package dev.coffer.blockstore.nbd;

import static dev.coffer.blockstore.nbd.NbdClientProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real NBD server on loopback, driven by the real clients (libnbd tools, qemu, fio). */
class NbdServerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SIZE = 64 << 20;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static NbdExports exports;
    private static NbdServer server;

    private MemoryBlockDevice device;
    private String name;
    private String uri;

    @TempDir
    Path dir;

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
        name = "vol-" + NAMES.incrementAndGet();
        exports.publish(name, "test volume " + name, device);
        uri = "nbd://127.0.0.1:" + server.address().getPort() + "/" + name;
    }

    @AfterEach
    void withdraw() throws Exception {
        exports.withdraw(name).get();
    }

    private Path randomFile(String fileName, int length, long seed) throws IOException {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(fileName), data);
    }

    @Test
    void nbdinfoReportsSizeBlockSizesAndCapabilities() {
        String json = run(TIMEOUT, "nbdinfo", "--json", uri).assertSucceeded().stdout();
        assertThat(json.replaceAll("\\s+", ""))
                .contains("\"export-name\":\"" + name + "\"")
                .contains("\"export-size\":" + SIZE)
                .contains("\"block_size_minimum\":1")
                .contains("\"block_size_preferred\":4096")
                .contains("\"block_size_maximum\":33554432")
                .contains("\"is_read_only\":false")
                .contains("\"can_multi_conn\":true")
                .contains("\"can_fua\":true")
                .contains("\"can_trim\":true")
                .contains("\"can_zero\":true")
                .contains("\"can_flush\":true")
                .contains("\"description\":\"testvolume" + name + "\"");
        assertThat(run(TIMEOUT, "nbdinfo", uri).assertSucceeded().stdout()).contains("export-size: " + SIZE);
    }

    @Test
    void nbdinfoListsThePublishedExports() {
        String list = run(TIMEOUT, "nbdinfo", "--list", "nbd://127.0.0.1:" + server.address().getPort())
                .assertSucceeded().stdout();
        assertThat(list).contains("export=\"" + name + "\"").contains("export-size: " + SIZE);
    }

    @Test
    void nbdcopyWritesAndReadsBackOverOneAndFourConnections() throws IOException {
        Path source = randomFile("source.bin", SIZE, 1);
        run(TIMEOUT, "nbdcopy", "--flush", source.toString(), uri).assertSucceeded();
        assertThat(device.contents(0, SIZE)).isEqualTo(Files.readAllBytes(source));
        assertThat(device.flushes.get()).isPositive();

        Path back = dir.resolve("back.bin");
        run(TIMEOUT, "nbdcopy", "-C", "4", uri, back.toString()).assertSucceeded();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(source));

        Path second = randomFile("second.bin", SIZE, 2);
        run(TIMEOUT, "nbdcopy", "-C", "4", "--flush", second.toString(), uri).assertSucceeded();
        Path back2 = dir.resolve("back2.bin");
        run(TIMEOUT, "nbdcopy", "-C", "1", uri, back2.toString()).assertSucceeded();
        assertThat(Files.readAllBytes(back2)).isEqualTo(Files.readAllBytes(second));
    }

    @Test
    void qemuImgInfoCompareAndConvertBothWays() throws IOException {
        assertThat(run(TIMEOUT, "qemu-img", "info", uri).assertSucceeded().stdout())
                .contains("virtual size: 64 MiB");
        Path source = randomFile("source.raw", 16 << 20, 3);
        run(TIMEOUT, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), uri)
                .assertSucceeded();
        assertThat(device.contents(0, 16 << 20)).isEqualTo(Files.readAllBytes(source));
        Path out = dir.resolve("out.raw");
        run(TIMEOUT, "qemu-img", "convert", "-f", "raw", "-O", "raw", uri, out.toString()).assertSucceeded();
        assertThat(Files.size(out)).isEqualTo(SIZE);
        assertThat(run(TIMEOUT, "qemu-img", "compare", "-f", "raw", "-F", "raw", out.toString(), uri)
                .assertSucceeded().stdout()).contains("Images are identical");
        byte[] head = new byte[16 << 20];
        System.arraycopy(Files.readAllBytes(out), 0, head, 0, head.length);
        assertThat(head).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void qemuIoWritesReadsFuaFlushDiscardAndZeroes() {
        String output = run(TIMEOUT, "qemu-io", "-f", "raw", uri,
                "-c", "write -P 0xab 0 1M",
                "-c", "read -P 0xab 0 1M",
                "-c", "write -f -P 0xcd 1M 64k",
                "-c", "read -P 0xcd 1M 64k",
                "-c", "flush",
                "-c", "write -P 0x11 2M 1M",
                "-c", "discard 2M 1M",
                "-c", "read -P 0 2M 1M",
                "-c", "write -P 0x22 4M 1M",
                "-c", "write -z 4M 1M",
                "-c", "read -P 0 4M 1M",
                "-c", "write -P 0x33 8M 4k",
                "-c", "read -P 0x33 8M 4k").assertSucceeded().stdout();
        assertThat(output).doesNotContain("Pattern verification failed").doesNotContain("failed");
        assertThat(device.contents(0, 1)[0]).isEqualTo((byte) 0xab);
        assertThat(device.contents(1 << 20, 1)[0]).isEqualTo((byte) 0xcd);
        assertThat(device.fuaWrites.get()).as("qemu-io's default writethrough cache sends FUA").isPositive();
        assertThat(device.flushes.get()).isPositive();
        assertThat(device.trims.get()).isPositive();
        assertThat(device.zeroes.get()).isPositive();
    }

    @Test
    void fioVerifiesWhatItWrote() {
        String output = run(Duration.ofSeconds(45), "fio", "--name=verify", "--ioengine=nbd", "--uri=" + uri,
                "--rw=randwrite", "--bs=64k", "--size=16M", "--iodepth=8", "--verify=crc32c", "--do_verify=1",
                "--verify_state_save=0", "--output-format=normal").assertSucceeded().stdout();
        assertThat(output).contains("err= 0");
    }

    @Test
    void anUnknownExportNameFailsForEveryClient() {
        String unknown = "nbd://127.0.0.1:" + server.address().getPort() + "/no-such-volume";
        assertThat(run(TIMEOUT, "nbdinfo", unknown).exitCode()).isNotZero();
        assertThat(run(TIMEOUT, "qemu-img", "info", unknown).exitCode()).isNotZero();
        assertThat(run(TIMEOUT, "nbdinfo", "nbd://127.0.0.1:" + server.address().getPort()).exitCode())
                .as("the default export does not exist").isNotZero();
    }
}

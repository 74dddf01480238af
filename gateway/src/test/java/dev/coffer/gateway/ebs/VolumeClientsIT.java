package dev.coffer.gateway.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * Attached volumes against the NBD clients people use (qemu-img, nbdcopy, fio, nbdinfo), driven
 * through the SDK's Ec2Client and the {@code aws} CLI on a real gateway: the data round-trips and
 * survives a restart of Coffer (attached volumes come back under their grants); an unknown export
 * name is refused; DeleteVolume on an attached volume is IncorrectState; detaching with I/O in
 * flight ends that client's connection and loses nothing acknowledged before.
 */
@Timeout(240)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeClientsIT {
    private static final String INSTANCE = "i-0123456789abcdef0";

    /** Static: an instance field gets its directory only per test, after @BeforeAll. */
    @TempDir
    static Path temp;
    private VolumeGateway gateway;
    private Ec2Client ec2;

    @BeforeAll
    void start() throws Exception {
        for (String program : List.of("qemu-img", "nbdcopy", "nbdinfo", "fio", "aws")) {
            assumeTrue(VolumeGateway.installed(program), program + " is not installed (scripts/install-prerequisites.sh)");
        }
        gateway = new VolumeGateway(temp.resolve("data"));
        ec2 = gateway.ec2();
    }

    @AfterAll
    void stop() {
        if (ec2 != null) {
            ec2.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private String attachedVolume(boolean encrypted) throws Exception {
        String id = ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(1).encrypted(encrypted)).volumeId();
        ec2.attachVolume(r -> r.volumeId(id).instanceId(INSTANCE).device("/dev/sdf"));
        awaitState(id, VolumeState.IN_USE);
        return id;
    }

    private Volume describe(String volumeId) {
        return ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().getFirst();
    }

    private void awaitState(String volumeId, VolumeState state) throws InterruptedException {
        for (int i = 0; i < 200 && describe(volumeId).state() != state; i++) {
            Thread.sleep(50);
        }
        assertThat(describe(volumeId).state()).isEqualTo(state);
    }

    private Path randomFile(String name, int bytes, long seed) throws Exception {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return Files.write(temp.resolve(name), data);
    }

    private VolumeGateway.Result run(int seconds, String... command) throws Exception {
        return VolumeGateway.run(temp, Map.of(), List.of(command), seconds);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void qemuImgNbdcopyAndFioReadBackWhatTheyWroteAndTheDataSurvivesARestart() throws Exception {
        String volume = attachedVolume(true);
        Path image = randomFile("image.raw", 32 << 20, 1);
        String uri = gateway.nbdUri(volume);

        VolumeGateway.Result convert = run(60, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(), uri);
        assertThat(convert.exitCode()).as(convert.describe()).isZero();
        // The rest of the volume was never written: it reads as zeros, which compare checks past the image's end.
        VolumeGateway.Result compare = run(60, "qemu-img", "compare", "-f", "raw", "-F", "raw", image.toString(), uri);
        assertThat(compare.stdout()).as(compare.describe()).contains("Images are identical.");
        VolumeGateway.Result info = run(30, "qemu-img", "info", uri);
        assertThat(info.stdout()).contains("virtual size: 1 GiB");
        VolumeGateway.Result copyOut = run(60, "nbdcopy", uri, temp.resolve("copy.raw").toString());
        assertThat(copyOut.exitCode()).as(copyOut.describe()).isZero();
        Path readBack = temp.resolve("first32.raw");
        Files.write(readBack, java.util.Arrays.copyOf(Files.readAllBytes(temp.resolve("copy.raw")), 32 << 20));
        assertThat(sha256(readBack)).isEqualTo(sha256(image));
        assertThat(Files.size(temp.resolve("copy.raw"))).isEqualTo(1L << 30);

        // fio writes a verifiable pattern past the image and checks it.
        VolumeGateway.Result fio = run(120, "fio", "--name=verify", "--ioengine=nbd", "--uri=" + uri, "--rw=randwrite",
                "--bs=16k", "--offset=64m", "--size=32m", "--iodepth=8", "--verify=crc32c", "--do_verify=1",
                "--verify_state_save=0");
        assertThat(fio.exitCode()).as(fio.describe()).isZero();
        VolumeGateway.Result writes = run(60, "nbdcopy", "--flush", image.toString(), "nbd://" + gateway.nbdAddress() + "/" + volume);
        assertThat(writes.exitCode()).as(writes.describe()).isZero();

        gateway.restart();
        ec2.close();
        ec2 = gateway.ec2();
        assertThat(describe(volume).state()).isEqualTo(VolumeState.IN_USE);
        VolumeGateway.Result afterRestart = run(60, "nbdcopy", gateway.nbdUri(volume), temp.resolve("after.raw").toString());
        assertThat(afterRestart.exitCode()).as(afterRestart.describe()).isZero();
        Files.write(readBack, java.util.Arrays.copyOf(Files.readAllBytes(temp.resolve("after.raw")), 32 << 20));
        assertThat(sha256(readBack)).isEqualTo(sha256(image));
    }

    @Test
    void nbdinfoListsAttachedVolumesAndRefusesAnUnknownExport() throws Exception {
        String volume = attachedVolume(false);

        VolumeGateway.Result list = run(30, "nbdinfo", "--list", "nbd://" + gateway.nbdAddress());
        assertThat(list.stdout()).contains(volume);
        VolumeGateway.Result unknown = run(30, "nbdinfo", "nbd://" + gateway.nbdAddress() + "/vol-00000000000000000");
        assertThat(unknown.exitCode()).isNotZero();
        VolumeGateway.Result size = run(30, "nbdinfo", "--size", gateway.nbdUri(volume));
        assertThat(size.stdout()).isEqualTo(String.valueOf(1L << 30));
    }

    @Test
    void deletingAnAttachedVolumeIsIncorrectStateAndKeepsItsData() throws Exception {
        String volume = attachedVolume(true);
        Path data = randomFile("keep.raw", 1 << 20, 2);
        assertThat(run(60, "nbdcopy", "--flush", data.toString(), gateway.nbdUri(volume)).exitCode()).isZero();

        VolumeGateway.Result delete = gateway.aws(temp, "ec2", "delete-volume", "--volume-id", volume);
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.stderr()).contains("(IncorrectState)");

        assertThat(describe(volume).state()).isEqualTo(VolumeState.IN_USE);
        Path back = temp.resolve("keep-back.raw");
        assertThat(run(60, "qemu-img", "convert", "-f", "raw", "-O", "raw", gateway.nbdUri(volume), back.toString()).exitCode())
                .isZero();
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(back), 1 << 20)).isEqualTo(Files.readAllBytes(data));
    }

    @Test
    void detachWithIoInFlightEndsTheConnectionAndLosesNothingAcknowledgedBefore() throws Exception {
        String volume = attachedVolume(true);
        Path before = randomFile("before.raw", 4 << 20, 3);
        assertThat(run(60, "nbdcopy", "--flush", before.toString(), gateway.nbdUri(volume)).exitCode()).isZero();

        // A writer busy far from the first 4 MiB when the volume is detached.
        Process writer = new ProcessBuilder("fio", "--name=busy", "--ioengine=nbd", "--uri=" + gateway.nbdUri(volume),
                "--rw=randwrite", "--bs=4k", "--offset=256m", "--size=256m", "--iodepth=16", "--time_based", "--runtime=60")
                .redirectErrorStream(true).redirectOutput(temp.resolve("busy.txt").toFile()).start();
        Thread.sleep(1500);
        assertThat(writer.isAlive()).as("fio still writing when the detach starts").isTrue();
        ec2.detachVolume(r -> r.volumeId(volume));
        awaitState(volume, VolumeState.AVAILABLE);
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("fio ends once the volume is detached").isTrue();
        assertThat(writer.exitValue()).as("fio saw its connection end").isNotZero();

        VolumeGateway.Result gone = run(30, "nbdinfo", gateway.nbdUri(volume));
        assertThat(gone.exitCode()).as("a detached volume is not exported").isNotZero();

        ec2.attachVolume(r -> r.volumeId(volume).instanceId(INSTANCE).device("/dev/sdf"));
        awaitState(volume, VolumeState.IN_USE);
        Path back = temp.resolve("before-back.raw");
        assertThat(run(60, "nbdcopy", gateway.nbdUri(volume), back.toString()).exitCode()).isZero();
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(back), 4 << 20)).isEqualTo(Files.readAllBytes(before));
    }
}

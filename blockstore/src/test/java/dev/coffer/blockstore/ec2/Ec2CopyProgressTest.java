package dev.coffer.blockstore.ec2;

import static dev.coffer.blockstore.ec2.Ec2SdkAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CopySnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * Copies observed while they run: the in-memory engine holds them at a gate after 50%, so that the
 * pending state, its progress, what is refused meanwhile, and a restart in the middle are seen
 * deterministically.
 */
class Ec2CopyProgressTest {
    private static final String INSTANCE = "i-0123456789abcdef0";

    @TempDir
    Path dir;
    Ec2Fixture fixture;
    Ec2Client ec2;

    @BeforeEach
    void start() {
        fixture = new Ec2Fixture(dir, Ec2Fixture.Engine.IN_MEMORY);
        ec2 = fixture.root();
    }

    @AfterEach
    void stop() {
        ec2.close();
        fixture.close();
    }

    private String volume(boolean encrypted, String kmsKeyId) {
        return ec2.createVolume(b -> b.availabilityZone("us-east-1b").size(1).encrypted(encrypted).kmsKeyId(kmsKeyId)).volumeId();
    }

    private Snapshot describeSnapshot(String snapshotId) {
        return ec2.describeSnapshots(b -> b.snapshotIds(snapshotId)).snapshots().getFirst();
    }

    private void awaitSnapshot(String snapshotId, SnapshotState state) {
        Ec2Fixture.await(() -> describeSnapshot(snapshotId).state() == state, snapshotId + " " + state);
    }

    private void write(String volumeId, String text) throws Exception {
        ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdf"));
        BlockDevice device = fixture.exports.published.get(volumeId);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        device.write(4096 + 100, bytes, 0, bytes.length, true);
        ec2.detachVolume(b -> b.volumeId(volumeId));
    }

    private String read(String volumeId, int length) throws Exception {
        ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdf"));
        byte[] bytes = new byte[length];
        fixture.exports.published.get(volumeId).read(4096 + 100, bytes, 0, length);
        ec2.detachVolume(b -> b.volumeId(volumeId));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void copySnapshotEncryptsAPlainSnapshotInTheBackgroundWithProgress() throws Exception {
        String plain = volume(false, null);
        write(plain, "to be encrypted");
        String snap = ec2.createSnapshot(b -> b.volumeId(plain)).snapshotId();
        assertThat(describeSnapshot(snap).encrypted()).isFalse();
        String key = fixture.kms.createKey("target");
        fixture.engine.copyGate = new CountDownLatch(1);
        CopySnapshotResponse copy = ec2.copySnapshot(b -> b.sourceSnapshotId(snap).sourceRegion("us-east-1").destinationRegion("us-east-1")
                .encrypted(true).kmsKeyId(key).description("encrypted copy"));
        Ec2Fixture.await(() -> describeSnapshot(copy.snapshotId()).progress().equals("50%"), "50%");
        Snapshot pending = describeSnapshot(copy.snapshotId());
        assertThat(pending.state()).isEqualTo(SnapshotState.PENDING);
        assertThat(pending.encrypted()).isTrue();
        assertThat(pending.kmsKeyId()).isEqualTo(key);
        assertThat(errorOf(() -> ec2.deleteSnapshot(b -> b.snapshotId(snap)))).isEqualTo("IncorrectState 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(copy.snapshotId()))))
                .isEqualTo("IncorrectState 400");
        fixture.engine.copyGate.countDown();
        awaitSnapshot(copy.snapshotId(), SnapshotState.COMPLETED);
        Snapshot done = describeSnapshot(copy.snapshotId());
        assertThat(done.progress()).isEqualTo("100%");
        assertThat(done.description()).isEqualTo("encrypted copy");
        assertThat(done.volumeId()).isEqualTo("vol-ffffffff");
        assertThat(fixture.kms.calls).contains("GenerateDataKeyWithoutPlaintext " + key + " {aws:ebs:id=" + copy.snapshotId() + "}");
        assertThat(fixture.kms.grants).isEmpty();
        // The encrypted copy's volume shares its key and reads the original bytes.
        CreateVolumeResponse restored = ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(copy.snapshotId()));
        assertThat(restored.encrypted()).isTrue();
        assertThat(restored.kmsKeyId()).isEqualTo(key);
        assertThat(read(restored.volumeId(), 15)).isEqualTo("to be encrypted");
    }

    @Test
    void aCopyARestartInterruptedIsMarkedFailed() {
        String snapshot = ec2.createSnapshot(b -> b.volumeId(
                ec2.createVolume(v -> v.availabilityZone("us-east-1a").size(1)).volumeId())).snapshotId();
        CountDownLatch gate = new CountDownLatch(1);
        fixture.engine.copyGate = gate;
        String copy = ec2.copySnapshot(b -> b.sourceSnapshotId(snapshot).sourceRegion("us-east-1")
                .destinationRegion("us-east-1").encrypted(true)).snapshotId();
        Ec2Fixture.await(() -> ec2.describeSnapshots(b -> b.snapshotIds(copy)).snapshots().getFirst().progress().equals("50%"), "50%");
        String volume = ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(snapshot).encrypted(true)).volumeId();

        fixture.restart();
        gate.countDown();

        Snapshot failed = ec2.describeSnapshots(b -> b.snapshotIds(copy)).snapshots().getFirst();
        assertThat(failed.state()).isEqualTo(SnapshotState.ERROR);
        assertThat(failed.stateMessage()).contains("restart");
        assertThat(ec2.describeVolumes(b -> b.volumeIds(volume)).volumes().getFirst().state()).isEqualTo(VolumeState.ERROR);
        ec2.deleteVolume(b -> b.volumeId(volume));
        ec2.deleteSnapshot(b -> b.snapshotId(copy));
    }
}

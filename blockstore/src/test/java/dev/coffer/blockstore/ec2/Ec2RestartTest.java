package dev.coffer.blockstore.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/** Closing the service and opening it again on the same store: everything is still there, attached volumes are re-published. */
class Ec2RestartTest {
    @TempDir
    Path dir;
    Ec2Fixture fixture;
    Ec2Client ec2;

    @BeforeEach
    void start() {
        fixture = new Ec2Fixture(dir, Ec2Fixture.DEFAULT_ENGINE);
        ec2 = fixture.root();
    }

    @AfterEach
    void stop() {
        ec2.close();
        fixture.close();
    }

    @Test
    void recordsSettingsAndAttachmentsSurviveARestart() throws Exception {
        String key = fixture.kms.createKey("k");
        String encrypted = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1).encrypted(true).kmsKeyId(key)
                .tagSpecifications(t -> t.resourceType("volume").tags(g -> g.key("a").value("b")))).volumeId();
        String plain = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(2)).volumeId();
        String idle = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(3)).volumeId();
        String snapshot = ec2.createSnapshot(b -> b.volumeId(encrypted).description("before restart")).snapshotId();
        ec2.enableEbsEncryptionByDefault(b -> { });
        ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(key));
        ec2.attachVolume(b -> b.volumeId(encrypted).instanceId("i-0123456789abcdef0").device("/dev/sdf"));
        ec2.attachVolume(b -> b.volumeId(plain).instanceId("i-0123456789abcdef1").device("/dev/sdg"));
        fixture.exports.published.get(encrypted).write(0, "persisted".getBytes(StandardCharsets.UTF_8), 0, 9, true);
        assertThat(fixture.kms.grants).hasSize(1);

        fixture.restart();

        assertThat(fixture.exports.events).containsExactlyInAnyOrder(
                "publish " + encrypted, "publish " + plain, "withdraw " + encrypted, "withdraw " + plain,
                "publish " + encrypted, "publish " + plain);
        assertThat(fixture.kms.grants).hasSize(1);
        assertThat(fixture.kms.calls).anyMatch(c -> c.startsWith("Decrypt(grant) " + key));
        Volume v = ec2.describeVolumes(b -> b.volumeIds(encrypted)).volumes().getFirst();
        assertThat(v.state()).isEqualTo(VolumeState.IN_USE);
        assertThat(v.attachments().getFirst().state()).isEqualTo(VolumeAttachmentState.ATTACHED);
        assertThat(v.kmsKeyId()).isEqualTo(key);
        assertThat(v.tags()).hasSize(1);
        assertThat(ec2.describeVolumes(b -> b.volumeIds(idle)).volumes().getFirst().state()).isEqualTo(VolumeState.AVAILABLE);
        Snapshot s = ec2.describeSnapshots(b -> b.snapshotIds(snapshot)).snapshots().getFirst();
        assertThat(s.state()).isEqualTo(SnapshotState.COMPLETED);
        assertThat(s.description()).isEqualTo("before restart");
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(key);

        BlockDevice republished = fixture.exports.published.get(encrypted);
        byte[] read = new byte[9];
        republished.read(0, read, 0, 9);
        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("persisted");

        ec2.detachVolume(b -> b.volumeId(encrypted));
        ec2.detachVolume(b -> b.volumeId(plain));
        assertThat(fixture.kms.grants).isEmpty();
        assertThat(fixture.exports.published).isEmpty();
    }
}

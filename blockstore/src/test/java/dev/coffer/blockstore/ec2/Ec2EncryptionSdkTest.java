package dev.coffer.blockstore.ec2;

import static dev.coffer.blockstore.ec2.Ec2SdkAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.CopySnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DetachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * EBS encryption semantics through the real SDK (CopySnapshot names DestinationRegion: without it
 * the SDK's presigned-URL interceptor derives the region from the endpoint's host name, which fails
 * for any endpoint that is not {@code ec2.<region>.amazonaws.com}, Coffer's included): keys of new volumes, snapshots sharing their
 * volume's key, volumes from snapshots (shared key or re-keyed), CopySnapshot re-encryption,
 * attach and detach (unseal through a grant, publish, withdraw, retire), encryption by default and
 * the default key.
 */
class Ec2EncryptionSdkTest {
    private static final String INSTANCE = "i-0123456789abcdef0";

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

    private String volume(boolean encrypted, String kmsKeyId) {
        return ec2.createVolume(b -> b.availabilityZone("us-east-1b").size(1).encrypted(encrypted).kmsKeyId(kmsKeyId)).volumeId();
    }

    private Volume describe(String volumeId) {
        return ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().getFirst();
    }

    private Snapshot describeSnapshot(String snapshotId) {
        return ec2.describeSnapshots(b -> b.snapshotIds(snapshotId)).snapshots().getFirst();
    }

    private void awaitSnapshot(String snapshotId, SnapshotState state) {
        Ec2Fixture.await(() -> describeSnapshot(snapshotId).state() == state, snapshotId + " " + state);
    }

    private void awaitVolume(String volumeId, VolumeState state) {
        Ec2Fixture.await(() -> describe(volumeId).state() == state, volumeId + " " + state);
    }

    private BlockDevice attach(String volumeId) {
        ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdf"));
        return fixture.exports.published.get(volumeId);
    }

    private void write(String volumeId, String text) throws Exception {
        BlockDevice device = attach(volumeId);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        device.write(4096 + 100, bytes, 0, bytes.length, true);
        ec2.detachVolume(b -> b.volumeId(volumeId));
    }

    private String read(String volumeId, int length) throws Exception {
        BlockDevice device = attach(volumeId);
        byte[] bytes = new byte[length];
        device.read(4096 + 100, bytes, 0, length);
        ec2.detachVolume(b -> b.volumeId(volumeId));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void encryptsANewVolumeUnderTheAwsManagedKeyWithItsOwnIdAsContext() {
        CreateVolumeResponse created = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1).encrypted(true));
        assertThat(created.encrypted()).isTrue();
        assertThat(created.kmsKeyId()).startsWith("arn:aws:kms:us-east-1:" + fixture.account() + ":key/");
        assertThat(created.sseTypeAsString()).isEqualTo("sse-ebs");
        assertThat(fixture.kms.calls).contains("DescribeKey alias/aws/ebs",
                "GenerateDataKeyWithoutPlaintext " + created.kmsKeyId() + " {aws:ebs:id=" + created.volumeId() + "}");
        assertThat(describe(created.volumeId()).kmsKeyId()).isEqualTo(created.kmsKeyId());
    }

    @Test
    void encryptsUnderTheNamedKeyAndRefusesAKeyWithoutEncrypted() {
        String key = fixture.kms.createKey("mine");
        assertThat(describe(volume(true, "alias/mine")).kmsKeyId()).isEqualTo(key);
        assertThat(describe(volume(true, key)).kmsKeyId()).isEqualTo(key);
        assertThat(errorOf(() -> volume(false, key))).isEqualTo("InvalidParameterDependency 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1).kmsKeyId(key))))
                .isEqualTo("InvalidParameterDependency 400");
        assertThat(errorOf(() -> volume(true, "alias/nope"))).isEqualTo("InvalidParameterValue 400");
        fixture.kms.disable(key);
        assertThat(errorOf(() -> volume(true, key))).isEqualTo("InvalidKMSKey.InvalidState 400");
        assertThat(ec2.describeVolumes().volumes()).hasSize(2);
    }

    @Test
    void snapshotsOfAnEncryptedVolumeShareItsKeyWithoutAKmsCall() {
        String key = fixture.kms.createKey("mine");
        String volumeId = volume(true, key);
        int callsBefore = fixture.kms.calls.size();
        CreateSnapshotResponse snap = ec2.createSnapshot(b -> b.volumeId(volumeId).description("nightly"));
        assertThat(snap.state()).isEqualTo(SnapshotState.PENDING);
        assertThat(snap.snapshotId()).matches("snap-[0-9a-f]{17}");
        assertThat(fixture.kms.calls).hasSize(callsBefore);
        Snapshot s = describeSnapshot(snap.snapshotId());
        assertThat(s.state()).isEqualTo(SnapshotState.COMPLETED);
        assertThat(s.progress()).isEqualTo("100%");
        assertThat(s.encrypted()).isTrue();
        assertThat(s.kmsKeyId()).isEqualTo(key);
        assertThat(s.volumeId()).isEqualTo(volumeId);
        assertThat(s.volumeSize()).isEqualTo(1);
        assertThat(s.description()).isEqualTo("nightly");
        assertThat(s.ownerId()).isEqualTo(fixture.account());
        assertThat(s.dataEncryptionKeyId()).startsWith("dek-");
        assertThat(s.startTime()).isNotNull();
    }

    @Test
    void aVolumeFromAnEncryptedSnapshotUnderTheSameKeySharesItsDataKey() throws Exception {
        String source = volume(true, null);
        write(source, "shared lineage");
        String snap = ec2.createSnapshot(b -> b.volumeId(source)).snapshotId();
        int generated = generateCalls();
        CreateVolumeResponse clone = ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(snap));
        assertThat(clone.encrypted()).isTrue();
        assertThat(clone.size()).isEqualTo(1);
        assertThat(clone.snapshotId()).isEqualTo(snap);
        assertThat(generateCalls()).isEqualTo(generated);
        assertThat(describe(clone.volumeId()).state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(read(clone.volumeId(), 14)).isEqualTo("shared lineage");
        // Encrypted=false cannot make a volume of an encrypted snapshot plaintext.
        assertThat(ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(snap).encrypted(false)).encrypted()).isTrue();
    }

    @Test
    void aVolumeFromAnEncryptedSnapshotUnderAnotherKeyIsReEncryptedUnderANewDataKey() throws Exception {
        String source = volume(true, null);
        write(source, "re-keyed lineage");
        String snap = ec2.createSnapshot(b -> b.volumeId(source)).snapshotId();
        String other = fixture.kms.createKey("other");
        CreateVolumeResponse rekeyed = ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(snap).size(2)
                .encrypted(true).kmsKeyId("alias/other"));
        assertThat(rekeyed.state()).isEqualTo(VolumeState.CREATING);
        assertThat(rekeyed.kmsKeyId()).isEqualTo(other);
        assertThat(fixture.kms.calls).contains("GenerateDataKeyWithoutPlaintext " + other + " {aws:ebs:id=" + rekeyed.volumeId() + "}");
        awaitVolume(rekeyed.volumeId(), VolumeState.AVAILABLE);
        assertThat(fixture.kms.grants).isEmpty();
        assertThat(describe(rekeyed.volumeId()).size()).isEqualTo(2);
        assertThat(read(rekeyed.volumeId(), 16)).isEqualTo("re-keyed lineage");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(snap).size(0))))
                .isEqualTo("InvalidParameterValue 400");
    }

    @Test
    void copySnapshotEncryptsAPlainSnapshotUnderANewDataKey() throws Exception {
        String plain = volume(false, null);
        write(plain, "to be encrypted");
        String snap = ec2.createSnapshot(b -> b.volumeId(plain)).snapshotId();
        assertThat(describeSnapshot(snap).encrypted()).isFalse();
        String key = fixture.kms.createKey("target");
        CopySnapshotResponse copy = ec2.copySnapshot(b -> b.sourceSnapshotId(snap).sourceRegion("us-east-1")
                .destinationRegion("us-east-1").encrypted(true).kmsKeyId(key).description("encrypted copy"));
        awaitSnapshot(copy.snapshotId(), SnapshotState.COMPLETED);
        Snapshot done = describeSnapshot(copy.snapshotId());
        assertThat(done.progress()).isEqualTo("100%");
        assertThat(done.encrypted()).isTrue();
        assertThat(done.kmsKeyId()).isEqualTo(key);
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
    void copiesOfEncryptedSnapshotsStayEncryptedAndPlainCopiesArePlain() {
        String encrypted = ec2.createSnapshot(b -> b.volumeId(volume(true, null))).snapshotId();
        String copy = ec2.copySnapshot(b -> b.sourceSnapshotId(encrypted).sourceRegion("us-east-1").destinationRegion("us-east-1").encrypted(false)).snapshotId();
        awaitSnapshot(copy, SnapshotState.COMPLETED);
        assertThat(describeSnapshot(copy).encrypted()).isTrue();
        assertThat(describeSnapshot(copy).kmsKeyId()).isEqualTo(describeSnapshot(encrypted).kmsKeyId());
        assertThat(describeSnapshot(copy).dataEncryptionKeyId()).isNotEqualTo(describeSnapshot(encrypted).dataEncryptionKeyId());

        String plain = ec2.createSnapshot(b -> b.volumeId(volume(false, null))).snapshotId();
        String plainCopy = ec2.copySnapshot(b -> b.sourceSnapshotId(plain).sourceRegion("us-east-1").destinationRegion("us-east-1")).snapshotId();
        awaitSnapshot(plainCopy, SnapshotState.COMPLETED);
        assertThat(describeSnapshot(plainCopy).encrypted()).isFalse();

        assertThat(errorOf(() -> ec2.copySnapshot(b -> b.sourceSnapshotId(plain).sourceRegion("eu-west-1").destinationRegion("us-east-1"))))
                .isEqualTo("InvalidParameterValue 400");
        assertThat(errorOf(() -> ec2.copySnapshot(b -> b.sourceSnapshotId(plain).sourceRegion("us-east-1").destinationRegion("us-east-1").kmsKeyId("alias/aws/ebs"))))
                .isEqualTo("InvalidParameterDependency 400");
        assertThat(errorOf(() -> ec2.copySnapshot(b -> b.sourceSnapshotId("snap-0123456789abcdef0").sourceRegion("us-east-1").destinationRegion("us-east-1"))))
                .isEqualTo("InvalidSnapshot.NotFound 400");
    }

    @Test
    void attachUnsealsThroughAGrantAndPublishesDetachWithdrawsAndRetires() throws Exception {
        String volumeId = volume(true, null);
        AttachVolumeResponse attached = ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdf"));
        assertThat(attached.state()).isEqualTo(VolumeAttachmentState.ATTACHING);
        assertThat(attached.instanceId()).isEqualTo(INSTANCE);
        assertThat(attached.device()).isEqualTo("/dev/sdf");
        assertThat(fixture.exports.published).containsKey(volumeId);
        assertThat(fixture.kms.grants).hasSize(1);
        Volume inUse = describe(volumeId);
        assertThat(inUse.state()).isEqualTo(VolumeState.IN_USE);
        assertThat(inUse.attachments()).hasSize(1);
        assertThat(inUse.attachments().getFirst().state()).isEqualTo(VolumeAttachmentState.ATTACHED);
        assertThat(inUse.attachments().getFirst().instanceId()).isEqualTo(INSTANCE);
        assertThat(ec2.describeVolumes(b -> b.filters(f -> f.name("attachment.instance-id").values(INSTANCE))).volumes()).hasSize(1);

        BlockDevice device = fixture.exports.published.get(volumeId);
        device.write(0, "hello".getBytes(StandardCharsets.UTF_8), 0, 5, true);

        DetachVolumeResponse detached = ec2.detachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE));
        assertThat(detached.state()).isEqualTo(VolumeAttachmentState.DETACHING);
        assertThat(fixture.exports.published).doesNotContainKey(volumeId);
        assertThat(fixture.exports.events).containsExactly("publish " + volumeId, "withdraw " + volumeId);
        assertThat(fixture.kms.grants).isEmpty();
        assertThat(fixture.isOpen(volumeId)).isNotEqualTo(Optional.of(true));
        assertThat(describe(volumeId).state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(describe(volumeId).attachments()).isEmpty();
    }

    @Test
    void attachWithADisabledKeyFailsAndLeavesTheVolumeAvailable() {
        String key = fixture.kms.createKey("soon-disabled");
        String volumeId = volume(true, key);
        fixture.kms.disable(key);
        assertThat(errorOf(() -> ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdf"))))
                .isEqualTo("InvalidKMSKey.InvalidState 400");
        assertThat(describe(volumeId).state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(describe(volumeId).attachments()).isEmpty();
        assertThat(fixture.exports.published).isEmpty();
    }

    @Test
    void attachStateErrors() {
        String volumeId = volume(false, null);
        ec2.attachVolume(b -> b.volumeId(volumeId).instanceId("i-01234567").device("xvdf"));
        assertThat(errorOf(() -> ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/sdg"))))
                .isEqualTo("VolumeInUse 400");
        assertThat(errorOf(() -> ec2.deleteVolume(b -> b.volumeId(volumeId)))).isEqualTo("IncorrectState 400");
        assertThat(errorOf(() -> ec2.detachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE))))
                .isEqualTo("InvalidAttachment.NotFound 400");
        ec2.detachVolume(b -> b.volumeId(volumeId));
        assertThat(errorOf(() -> ec2.detachVolume(b -> b.volumeId(volumeId)))).isEqualTo("IncorrectState 400");
        assertThat(errorOf(() -> ec2.attachVolume(b -> b.volumeId(volumeId).instanceId("i-xyz").device("/dev/sdf"))))
                .isEqualTo("InvalidInstanceID.Malformed 400");
        assertThat(errorOf(() -> ec2.attachVolume(b -> b.volumeId(volumeId).instanceId(INSTANCE).device("/dev/../x"))))
                .isEqualTo("InvalidParameterValue 400");
        ec2.deleteVolume(b -> b.volumeId(volumeId));
    }

    @Test
    void encryptionByDefaultEncryptsNewVolumesAndCopiesOfPlainSnapshots() {
        String plainSnapshot = ec2.createSnapshot(b -> b.volumeId(volume(false, null))).snapshotId();
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        assertThat(ec2.enableEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).sseTypeAsString()).isEqualTo("sse-ebs");

        assertThat(describe(volume(false, null)).encrypted()).isTrue();
        CreateVolumeResponse fromPlain = ec2.createVolume(b -> b.availabilityZone("us-east-1a").snapshotId(plainSnapshot));
        assertThat(fromPlain.encrypted()).isTrue();
        awaitVolume(fromPlain.volumeId(), VolumeState.AVAILABLE);
        String copy = ec2.copySnapshot(b -> b.sourceSnapshotId(plainSnapshot).sourceRegion("us-east-1").destinationRegion("us-east-1")).snapshotId();
        awaitSnapshot(copy, SnapshotState.COMPLETED);
        assertThat(describeSnapshot(copy).encrypted()).isTrue();

        assertThat(ec2.disableEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        assertThat(describe(volume(false, null)).encrypted()).isFalse();
    }

    @Test
    void theDefaultKeyIsTheAwsManagedAliasUntilModifiedAndAfterReset() {
        String managed = "arn:aws:kms:us-east-1:" + fixture.account() + ":alias/aws/ebs";
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(managed);
        String key = fixture.kms.createKey("default");
        assertThat(ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId("alias/default")).kmsKeyId()).isEqualTo(key);
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(key);
        assertThat(describe(volume(true, null)).kmsKeyId()).isEqualTo(key);
        assertThat(errorOf(() -> ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId("alias/none")))).isEqualTo("InvalidParameterValue 400");
        assertThat(ec2.resetEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(managed);
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(managed);
        assertThat(describe(volume(true, null)).kmsKeyId()).isNotEqualTo(key);
    }

    @Test
    void describesSnapshotsWithOwnersFiltersAndPages() {
        String v = volume(true, null);
        for (int i = 0; i < 6; i++) {
            int n = i;
            ec2.createSnapshot(b -> b.volumeId(v).description("snap " + n));
        }
        String plain = ec2.createSnapshot(b -> b.volumeId(volume(false, null))).snapshotId();
        assertThat(ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots()).hasSize(7);
        assertThat(ec2.describeSnapshots(b -> b.ownerIds(fixture.account())).snapshots()).hasSize(7);
        assertThat(ec2.describeSnapshots(b -> b.ownerIds("amazon")).snapshots()).isEmpty();
        assertThat(ec2.describeSnapshots(b -> b.filters(f -> f.name("encrypted").values("false"))).snapshots())
                .extracting(Snapshot::snapshotId).containsExactly(plain);
        assertThat(ec2.describeSnapshots(b -> b.filters(f -> f.name("volume-id").values(v))).snapshots()).hasSize(6);
        assertThat(ec2.describeSnapshots(b -> b.filters(f -> f.name("description").values("snap 3"))).snapshots()).hasSize(1);
        assertThat(ec2.describeSnapshots(b -> b.filters(f -> f.name("status").values("completed"),
                f -> f.name("owner-id").values(fixture.account()))).snapshots()).hasSize(7);
        assertThat(ec2.describeSnapshots(b -> b.maxResults(5)).snapshots()).hasSize(5);
        assertThat(ec2.describeSnapshotsPaginator(b -> b.maxResults(5)).snapshots().stream().count()).isEqualTo(7);
        // The aws CLI's page size for describe-snapshots is DescribeSnapshots' largest, 1000; above it is refused.
        assertThat(ec2.describeSnapshots(b -> b.ownerIds("self").maxResults(1000)).snapshots()).hasSize(7);
        assertThat(errorOf(() -> ec2.describeSnapshots(b -> b.maxResults(1001)))).isEqualTo("InvalidParameterValue 400");
        assertThat(errorOf(() -> ec2.describeSnapshots(b -> b.snapshotIds("snap-0123456789abcdef0"))))
                .isEqualTo("InvalidSnapshot.NotFound 400");
        assertThat(errorOf(() -> ec2.describeSnapshots(b -> b.snapshotIds("snapshot-1")))).isEqualTo("InvalidSnapshotID.Malformed 400");
        ec2.createTags(b -> b.resources(plain).tags(t -> t.key("k").value("v")));
        assertThat(ec2.describeSnapshots(b -> b.filters(f -> f.name("tag:k").values("v"))).snapshots()).hasSize(1);
        ec2.deleteSnapshot(b -> b.snapshotId(plain));
        assertThat(errorOf(() -> ec2.deleteSnapshot(b -> b.snapshotId(plain)))).isEqualTo("InvalidSnapshot.NotFound 400");
    }

    private int generateCalls() {
        return (int) fixture.kms.calls.stream().filter(c -> c.startsWith("GenerateDataKey")).count();
    }
}

package dev.coffer.blockstore.ec2;

import static dev.coffer.blockstore.ec2.Ec2SdkAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.blockstore.engine.RecordTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * The stored form of the control plane's records (docs/formats/ec2-records-v1.md): the exact JSON,
 * versions, unknown fields, and what editing a stored record can and cannot do.
 */
class Ec2RecordFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "i-0123456789abcdef0";

    @TempDir
    Path dir;

    private static String text(RecordTable table, String key) {
        return new String(table.get(key).orElseThrow(), StandardCharsets.UTF_8);
    }

    private static void put(RecordTable table, String key, String json) {
        table.put(key, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheJsonTheSpecShows() {
        InMemoryVolumeEngine engine = new InMemoryVolumeEngine();
        Ec2RecordStore store = new Ec2RecordStore(engine.records());
        store.put(new Ec2VolumeRecord(1, "vol-0123456789abcdef0", "123456789012", 8, "gp3", 3000, 125, "us-east-1a", null,
                "in-use", Instant.parse("2026-01-02T03:04:05.678Z"), true,
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                new byte[] {1, 2, 3, 4, 5}, "dek-0123456789abcdef0", "vol-0123456789abcdef0", List.of(new Ec2Tag("Name", "db")),
                new Ec2Attachment(INSTANCE, "/dev/sdf", "attached", Instant.parse("2026-01-02T03:05:00Z"), "grant-1"), false, 4096));
        store.put(new Ec2SnapshotRecord(1, "snap-0123456789abcdef0", "123456789012", "vol-0123456789abcdef1", 1, "", "completed",
                100, Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06Z"), null, false, null, null, null,
                null, List.of(), null, 4096));
        store.put("123456789012", new Ec2AccountSettings(1, true, null));

        assertThat(text(engine.records(), "ec2/volume/vol-0123456789abcdef0")).isEqualTo("{\"version\":1,"
                + "\"volumeId\":\"vol-0123456789abcdef0\",\"ownerId\":\"123456789012\",\"sizeGiB\":8,\"volumeType\":\"gp3\","
                + "\"iops\":3000,\"throughput\":125,\"availabilityZone\":\"us-east-1a\",\"snapshotId\":null,\"state\":\"in-use\","
                + "\"createTime\":\"2026-01-02T03:04:05.678Z\",\"encrypted\":true,"
                + "\"kmsKeyArn\":\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\","
                + "\"encryptedDataKey\":\"AQIDBAU=\",\"dataKeyId\":\"dek-0123456789abcdef0\","
                + "\"bindingId\":\"vol-0123456789abcdef0\",\"tags\":[{\"key\":\"Name\",\"value\":\"db\"}],"
                + "\"attachment\":{\"instanceId\":\"i-0123456789abcdef0\",\"device\":\"/dev/sdf\",\"state\":\"attached\","
                + "\"attachTime\":\"2026-01-02T03:05:00Z\",\"grantId\":\"grant-1\"},\"copying\":false,\"blockSizeBytes\":4096}");
        assertThat(text(engine.records(), "ec2/snapshot/snap-0123456789abcdef0")).isEqualTo("{\"version\":1,"
                + "\"snapshotId\":\"snap-0123456789abcdef0\",\"ownerId\":\"123456789012\",\"volumeId\":\"vol-0123456789abcdef1\","
                + "\"volumeSizeGiB\":1,\"description\":\"\",\"state\":\"completed\",\"progress\":100,"
                + "\"startTime\":\"2026-01-02T03:04:05Z\",\"completionTime\":\"2026-01-02T03:04:06Z\",\"statusMessage\":null,"
                + "\"encrypted\":false,\"kmsKeyArn\":null,\"encryptedDataKey\":null,\"dataKeyId\":null,\"bindingId\":null,"
                + "\"tags\":[],\"sourceSnapshotId\":null,\"blockSizeBytes\":4096}");
        assertThat(text(engine.records(), "ec2/settings/123456789012"))
                .isEqualTo("{\"version\":1,\"encryptionByDefault\":true,\"defaultKmsKeyArn\":null}");
    }

    @Test
    void refusesRecordsOfAnotherVersionOrNone() {
        InMemoryVolumeEngine engine = new InMemoryVolumeEngine();
        put(engine.records(), "ec2/snapshot/snap-00000001",
                "{\"version\":2,\"snapshotId\":\"snap-00000001\",\"state\":\"completed\"}");
        assertThatThrownBy(() -> new Ec2RecordStore(engine.records()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format version 2");
        engine.records().delete("ec2/snapshot/snap-00000001");
        put(engine.records(), "ec2/volume/vol-00000001", "{\"volumeId\":\"vol-00000001\",\"state\":\"available\"}");
        assertThatThrownBy(() -> new Ec2RecordStore(engine.records()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format version -1");
        engine.records().delete("ec2/volume/vol-00000001");

        Ec2RecordStore store = new Ec2RecordStore(engine.records());
        put(engine.records(), "ec2/settings/123456789012", "{\"version\":2,\"encryptionByDefault\":true}");
        assertThatThrownBy(() -> store.settings("123456789012"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format version 2");
        assertThat(store.settings("210987654321")).isEqualTo(Ec2AccountSettings.initial());
    }

    @Test
    void refusesAnEncryptedRecordWithoutItsKeysOrWithoutAnId() {
        InMemoryVolumeEngine engine = new InMemoryVolumeEngine();
        put(engine.records(), "ec2/volume/vol-00000001", "{\"version\":1,\"volumeId\":\"vol-00000001\","
                + "\"state\":\"available\",\"encrypted\":true,\"kmsKeyArn\":\"arn:k\",\"bindingId\":\"vol-00000001\"}");
        assertThatThrownBy(() -> new Ec2RecordStore(engine.records())).hasMessageContaining("is unreadable");
        put(engine.records(), "ec2/volume/vol-00000001", "{\"version\":1,\"state\":\"available\"}");
        assertThatThrownBy(() -> new Ec2RecordStore(engine.records())).hasMessageContaining("is unreadable");
    }

    @Test
    void ignoresUnknownFieldsAndDropsThemAtTheNextWrite() {
        InMemoryVolumeEngine engine = new InMemoryVolumeEngine();
        put(engine.records(), "ec2/settings/123456789012",
                "{\"version\":1,\"encryptionByDefault\":true,\"defaultKmsKeyArn\":null,\"futureField\":{\"x\":1}}");
        put(engine.records(), "ec2/volume/vol-00000001", "{\"version\":1,\"volumeId\":\"vol-00000001\",\"state\":\"available\","
                + "\"sizeGiB\":1,\"encrypted\":false,\"futureField\":\"kept?\",\"blockSizeBytes\":4096}");
        Ec2RecordStore store = new Ec2RecordStore(engine.records());
        assertThat(store.settings("123456789012").encryptionByDefault()).isTrue();
        Ec2VolumeRecord v = store.existingVolume("vol-00000001");
        assertThat(v.sizeGiB()).isEqualTo(1);

        store.put(v.withState("available"));
        store.put("123456789012", store.settings("123456789012"));
        assertThat(text(engine.records(), "ec2/volume/vol-00000001")).doesNotContain("futureField");
        assertThat(text(engine.records(), "ec2/settings/123456789012")).doesNotContain("futureField");
    }

    /** Two encrypted volumes under one key, the service restarted after {@code edit} changed volume {@code a}'s stored record. */
    private final class Tampered implements AutoCloseable {
        final Ec2Fixture fixture = new Ec2Fixture(dir, Ec2Fixture.Engine.IN_MEMORY);
        final Ec2Client ec2 = fixture.root();
        final String key = fixture.kms.createKey("k");
        final String otherKey = fixture.kms.createKey("other");
        final String a = volume();
        final String b = volume();
        final ObjectNode recordOfA = record(a);
        final ObjectNode recordOfB = record(b);

        private String volume() {
            return ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(1).encrypted(true).kmsKeyId(key)).volumeId();
        }

        ObjectNode record(String volumeId) {
            try {
                return (ObjectNode) JSON.readTree(fixture.engine.records().get("ec2/volume/" + volumeId).orElseThrow());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }

        void editA(Consumer<ObjectNode> edit) {
            ObjectNode edited = recordOfA.deepCopy();
            edit.accept(edited);
            fixture.engine.records().put("ec2/volume/" + a, edited.toString().getBytes(StandardCharsets.UTF_8));
            fixture.restart();
        }

        /** Attaching {@code a} fails with this error and leaves it available, unpublished, without a grant or open device. */
        void attachFails(String error) {
            assertThat(errorOf(() -> ec2.attachVolume(r -> r.volumeId(a).instanceId(INSTANCE).device("/dev/sdf"))))
                    .isEqualTo(error);
            Volume v = ec2.describeVolumes(r -> r.volumeIds(a)).volumes().getFirst();
            assertThat(v.state()).isEqualTo(VolumeState.AVAILABLE);
            assertThat(v.attachments()).isEmpty();
            assertThat(fixture.exports.published).doesNotContainKey(a);
            assertThat(fixture.kms.grants).isEmpty();
            assertThat(fixture.isOpen(a)).contains(false);
        }

        /** With the stored record put back, {@code a} attaches: the edit alone was what failed. */
        void restoredAttaches() {
            fixture.engine.records().put("ec2/volume/" + a, recordOfA.toString().getBytes(StandardCharsets.UTF_8));
            fixture.restart();
            ec2.attachVolume(r -> r.volumeId(a).instanceId(INSTANCE).device("/dev/sdf"));
            assertThat(fixture.exports.published).containsKey(a);
            ec2.detachVolume(r -> r.volumeId(a));
        }

        @Override
        public void close() {
            ec2.close();
            fixture.close();
        }
    }

    @Test
    void theTestKmsBindsTheContextAndKeyLikeTheRealOne() {
        InMemoryVolumeKeyService kms = new InMemoryVolumeKeyService("us-east-1", "123456789012");
        String key = kms.createKey(null);
        String other = kms.createKey(null);
        byte[] edk = kms.generateDataKeyWithoutPlaintext("r", key, Ec2Keys.context("vol-00000001"));
        assertThatThrownBy(() -> kms.unseal("r", key, edk, Ec2Keys.context("vol-00000002")))
                .hasMessageContaining("does not match the key or context");
        assertThatThrownBy(() -> kms.unseal("r", other, edk, Ec2Keys.context("vol-00000001")))
                .hasMessageContaining("does not match the key or context");
        assertThat(kms.grants).isEmpty();
        kms.unseal("r", key, edk, Ec2Keys.context("vol-00000001")).dataKey().close();
    }

    @Test
    void aDataKeySwappedInFromAnotherVolumeFailsAtTheKms() {
        try (Tampered t = new Tampered()) {
            assertThat(t.recordOfA.get("encryptedDataKey").asText()).isNotEqualTo(t.recordOfB.get("encryptedDataKey").asText());
            t.editA(r -> r.set("encryptedDataKey", t.recordOfB.get("encryptedDataKey")));
            t.attachFails("InvalidKMSKey.InvalidState 400");
            assertThat(t.fixture.kms.calls).last().asString().isEqualTo("CreateGrant+Decrypt " + t.key + " {aws:ebs:id=" + t.a + "}");
            t.restoredAttaches();
        }
    }

    @Test
    void aChangedBindingIdFailsAtTheKmsAndWithTheOtherVolumesDataKeyAtTheEngine() {
        try (Tampered t = new Tampered()) {
            t.editA(r -> r.put("bindingId", t.b));
            t.attachFails("InvalidKMSKey.InvalidState 400");
            // Both halves of b's lineage: the KMS unseals b's key, and the engine refuses to open a's blocks with it.
            t.editA(r -> r.put("bindingId", t.b).set("encryptedDataKey", t.recordOfB.get("encryptedDataKey")));
            t.attachFails("InternalError 500");
            t.restoredAttaches();
        }
    }

    @Test
    void aChangedKeyArnFailsAtTheKms() {
        try (Tampered t = new Tampered()) {
            t.editA(r -> r.put("kmsKeyArn", t.otherKey));
            t.attachFails("InvalidKMSKey.InvalidState 400");
            t.editA(r -> r.put("kmsKeyArn", t.key.replaceAll("key/.*", "key/00000000-0000-0000-0000-000000000000")));
            t.attachFails("InvalidParameterValue 400");
            t.restoredAttaches();
        }
    }

    @Test
    void anEncryptedVolumeRecordedAsPlaintextIsNotOpened() {
        try (Tampered t = new Tampered()) {
            t.editA(r -> r.put("encrypted", false).putNull("kmsKeyArn").putNull("encryptedDataKey").putNull("bindingId"));
            t.attachFails("InternalError 500");
            t.restoredAttaches();
        }
    }

    @Test
    void unknownFieldsInAStoredVolumeChangeNothing() {
        try (Tampered t = new Tampered()) {
            t.editA(r -> r.put("plaintextDataKey", "AAAA").put("encrypted2", false));
            Volume v = t.ec2.describeVolumes(r -> r.volumeIds(t.a)).volumes().getFirst();
            assertThat(v.encrypted()).isTrue();
            assertThat(v.kmsKeyId()).isEqualTo(t.key);
            t.restoredAttaches();
        }
    }
}

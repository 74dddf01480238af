package dev.coffer.gateway.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * EBS's worked example, end to end with real clients (scripts/volume-worked-example.sh): the
 * {@code aws} CLI creates an unencrypted volume, a real kernel ext4 is made and filled on it through
 * nbdfuse and a loop device, the volume is snapshotted, the snapshot copied with encryption under a
 * customer key, a volume made from the copy and mounted: the files are identical. Then, with the
 * gateway stopped, the volume engine's stored records are read raw: the encrypted copy's blocks are
 * sealed (block seal v1) and no stored value holds the files' text, the unencrypted volume and
 * snapshot being gone; and the key's audit trail shows the copy's data key, the grants and the
 * decryptions.
 */
@Timeout(300)
class VolumeWorkedExampleIT {
    /** Text each note file on the volume carries (scripts/volume-worked-example.sh). */
    private static final byte[] FILE_TEXT = "written before encryption".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    @Test
    void unencryptedVolumeBecomesEncryptedThroughAnEncryptedSnapshotCopyWithIdenticalFiles() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for losetup and mount");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse for nbdfuse");
        for (String program : List.of("aws", "nbdfuse", "losetup", "mkfs.ext4", "e2fsck", "fusermount3")) {
            assumeTrue(VolumeGateway.installed(program), program + " is not installed (scripts/install-prerequisites.sh)");
        }
        Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/volume-worked-example.sh");
        Map<String, String> out;
        Path dataDir = temp.resolve("data");
        try (VolumeGateway gateway = new VolumeGateway(dataDir)) {
            Map<String, String> environment = new HashMap<>(gateway.environment(temp));
            environment.put("COFFER_EDGE", gateway.endpoint().toString());
            environment.put("COFFER_NBD", gateway.nbdAddress());
            environment.put("WORK", temp.resolve("work").toString());
            VolumeGateway.Result run = VolumeGateway.run(temp, environment, List.of("bash", script.toString()), 240);
            assertThat(run.exitCode()).as(run.describe()).isZero();
            out = outputs(run.stdout());
        }
        assertThat(out).containsKeys("key", "old", "new", "snapshot", "copy");
        assertThat(Integer.parseInt(out.get("files"))).isEqualTo(51);

        assertStoredBlocksAreSealedAndHoldNoFileText(dataDir.resolve("ebs"), out.get("copy"), out.get("new"));
        assertAuditTrailShowsTheKeyUses(dataDir.resolve("audit/kms"), out.get("key"), out.get("copy"));
    }

    private static Map<String, String> outputs(String stdout) {
        Map<String, String> out = new HashMap<>();
        for (String line : stdout.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * Reads the engine's RocksDB and block log directly (docs/formats/volume-engine-v2.md): the
     * copy's space holds only block-seal-v1 records, thousands of them (20 MiB of files and the
     * file system's metadata), and no stored block of the whole store holds the files' text.
     */
    private static void assertStoredBlocksAreSealedAndHoldNoFileText(Path store, String copyId, String newVolumeId)
            throws Exception {
        int sealedSize = BlockSealParameters.defaults().sealedSizeBytes();
        RocksDB.loadLibrary();
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        for (byte[] name : RocksDB.listColumnFamilies(new org.rocksdb.Options(), store.toString())) {
            families.add(new ColumnFamilyDescriptor(name));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, store.toString(), families, handles)) {
            ColumnFamilyHandle meta = handle(families, handles, "meta");
            ColumnFamilyHandle blocks = handle(families, handles, "blocks");
            long copySpace = spaceOf(db, meta, 'N', copyId);
            long newSpace = spaceOf(db, meta, 'V', newVolumeId);
            long copyRecords = 0;
            long allRecords = 0;
            try (RocksIterator it = db.newIterator(blocks)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] value = storedBlock(store, it.value());
                    assertThat(indexOf(value, FILE_TEXT)).as("a stored block holds the files' text").isNegative();
                    long space = ByteBuffer.wrap(it.key()).getLong();
                    if (value.length > 0) {
                        allRecords++;
                    }
                    if ((space == copySpace || space == newSpace) && value.length > 0) {
                        assertThat(value).as("a block of the encrypted lineage").hasSize(sealedSize);
                        assertThat(value[0]).as("block seal version").isEqualTo((byte) 1);
                        if (space == copySpace) {
                            copyRecords++;
                        }
                    }
                }
            }
            assertThat(copyRecords).as("blocks of the encrypted copy").isGreaterThan(20L * 1024 * 1024 / 4096);
            assertThat(allRecords).as("only the encrypted lineage is stored after the swap")
                    .isLessThanOrEqualTo(copyRecords + 2000);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /**
     * The stored block a value of the {@code blocks} family stands for: the value itself (an inline
     * record), or, for a 13-byte log pointer ('L', segment u32, offset u32, length u32), the value
     * part of the log record it points at (after the record's 36-byte header).
     */
    private static byte[] storedBlock(Path store, byte[] value) throws Exception {
        if (value.length != 13 || value[0] != 'L') {
            return value;
        }
        ByteBuffer pointer = ByteBuffer.wrap(value, 1, 12);
        int segment = pointer.getInt();
        long offset = Integer.toUnsignedLong(pointer.getInt());
        int length = pointer.getInt();
        byte[] record = new byte[length];
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(
                store.resolve("blocklog").resolve(String.format("%010d.seg", segment)))) {
            ByteBuffer into = ByteBuffer.wrap(record);
            while (into.hasRemaining()) {
                assertThat(file.read(into, offset + into.position())).as("log record within its segment").isPositive();
            }
        }
        assertThat(new String(record, 0, 4, StandardCharsets.US_ASCII)).as("log record magic").isEqualTo("CBL1");
        return java.util.Arrays.copyOfRange(record, 36, length);
    }

    private static ColumnFamilyHandle handle(List<ColumnFamilyDescriptor> families, List<ColumnFamilyHandle> handles,
                                             String name) {
        for (int i = 0; i < families.size(); i++) {
            if (new String(families.get(i).getName(), StandardCharsets.UTF_8).equals(name)) {
                return handles.get(i);
            }
        }
        throw new AssertionError("no column family " + name);
    }

    /** The space id in a volume ('V') or snapshot ('N') metadata record: version byte, then the space id. */
    private static long spaceOf(RocksDB db, ColumnFamilyHandle meta, char kind, String id) throws Exception {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] key = ByteBuffer.allocate(1 + idBytes.length).put((byte) kind).put(idBytes).array();
        byte[] value = db.get(meta, key);
        assertThat(value).as("metadata of " + id).isNotNull();
        return ByteBuffer.wrap(value, 1, 8).getLong();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The copy's data key was made under the customer key for the copy (context aws:ebs:id = the copy's
     * id) on the root user's behalf through ec2; the copy and each attachment of the new volume created
     * a grant for the EC2 service and decrypted under it.
     */
    private static void assertAuditTrailShowsTheKeyUses(Path trail, String key, String copyId) {
        List<AuditRecord> generated = records(trail, key, "GenerateDataKeyWithoutPlaintext");
        assertThat(generated).hasSize(1);
        assertThat(generated.getFirst().userIdentity().invokedBy()).isEqualTo("ec2.amazonaws.com");
        assertThat(generated.getFirst().requestParameters().orElseThrow().get("encryptionContext").get("aws:ebs:id").asText())
                .isEqualTo(copyId);
        assertThat(records(trail, key, "CreateGrant")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.userIdentity().invokedBy()).isEqualTo("ec2.amazonaws.com"));
        assertThat(records(trail, key, "Decrypt")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.errorCode()).isEmpty());
    }

    private static List<AuditRecord> records(Path trail, String key, String event) {
        return AuditLookup.find(trail, AuditLookup.Query.all().withKeyId(key).withEventName(event)).records();
    }
}

package dev.coffer.gateway.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code aws ec2} CLI (and {@code aws kms}, {@code aws iam} where needed) against a real
 * gateway, for everything the volume control API offers beyond EBS's worked example
 * ({@link VolumeWorkedExampleIT}): encryption choices and their errors, describe filters and id
 * errors, online growth seen by a new NBD connection, the account's encryption defaults, tags, state
 * errors, DryRun, and IAM users limited by their policies and by KMS. Each case asserts the CLI's
 * parsed output, or its exit code and the {@code (ErrorCode)} it prints.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "us-east-1a";
    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final Pattern ERROR_CODE = Pattern.compile("An error occurred \\(([A-Za-z0-9.]+)\\)");

    /** Static: an instance field gets its directory only per test, after @BeforeAll. */
    @TempDir
    static Path temp;
    private VolumeGateway gateway;
    private Map<String, String> root;

    @BeforeAll
    void start() throws Exception {
        for (String program : List.of("aws", "nbdinfo")) {
            assumeTrue(VolumeGateway.installed(program), program + " is not installed (scripts/install-prerequisites.sh)");
        }
        gateway = new VolumeGateway(temp.resolve("data"));
        root = gateway.environment(temp);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    // ---- running the CLI ----------------------------------------------------------------------

    /** Runs {@code aws <args>} with the credentials in {@code environment}. */
    private VolumeGateway.Result cli(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", gateway.endpoint().toString(),
                "--region", "us-east-1"));
        command.addAll(Arrays.asList(args));
        return VolumeGateway.run(temp, environment, command, 60);
    }

    /** Runs as root with {@code --output json}, expects success, and parses the output (empty output is an empty object). */
    private JsonNode json(String... args) throws Exception {
        return jsonAs(root, args);
    }

    private JsonNode jsonAs(Map<String, String> environment, String... args) throws Exception {
        VolumeGateway.Result r = cli(environment, append(args, "--output", "json"));
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.describe()).isZero();
        return r.stdout().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
    }

    /** Runs as root with {@code --query <query> --output text}, expects success: the text. */
    private String text(String query, String... args) throws Exception {
        VolumeGateway.Result r = cli(root, append(args, "--query", query, "--output", "text"));
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.describe()).isZero();
        return r.stdout();
    }

    /** The sorted words of {@link #text} (ids listed by a {@code [].Id} query). */
    private List<String> words(String query, String... args) throws Exception {
        String out = text(query, args);
        return out.isBlank() ? List.of() : Arrays.stream(out.split("\\s+")).sorted().toList();
    }

    /** Runs, expects the CLI to fail, and returns the error code it printed; the stderr is returned by {@link #failure}. */
    private String errorCode(String... args) throws Exception {
        return errorCodeAs(root, args);
    }

    private String errorCodeAs(Map<String, String> environment, String... args) throws Exception {
        return code(failureAs(environment, args));
    }

    private VolumeGateway.Result failure(String... args) throws Exception {
        return failureAs(root, args);
    }

    private VolumeGateway.Result failureAs(Map<String, String> environment, String... args) throws Exception {
        VolumeGateway.Result r = cli(environment, append(args, "--output", "json"));
        assertThat(r.exitCode()).as(String.join(" ", args) + " should fail\n" + r.describe()).isNotZero();
        return r;
    }

    private static String code(VolumeGateway.Result r) {
        Matcher m = ERROR_CODE.matcher(r.stderr());
        assertThat(m.find()).as("an (ErrorCode) in stderr\n" + r.describe()).isTrue();
        return m.group(1);
    }

    private static String[] append(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    // ---- building blocks ----------------------------------------------------------------------

    /**
     * A new volume's id. EC2 answers {@code creating}; a volume that needs no background copy (all
     * of them here) is available by the time the answer is sent, so there is nothing to wait for.
     */
    private String createVolume(String... options) throws Exception {
        String id = text("VolumeId", append(new String[] {"ec2", "create-volume", "--availability-zone", ZONE}, options));
        assertThat(id).startsWith("vol-");
        return id;
    }

    private JsonNode volume(String volumeId) throws Exception {
        return json("ec2", "describe-volumes", "--volume-ids", volumeId).get("Volumes").get(0);
    }

    private void awaitVolume(String volumeId, String state) throws Exception {
        String now = volume(volumeId).get("State").asText();
        for (int i = 0; i < 100 && !now.equals(state); i++) {
            Thread.sleep(100);
            now = volume(volumeId).get("State").asText();
        }
        assertThat(now).as(volumeId).isEqualTo(state);
    }

    /** A new snapshot's id: answered {@code pending}, as EC2 does, and complete by the time the answer is sent. */
    private String createSnapshot(String volumeId, String... options) throws Exception {
        return text("SnapshotId", append(new String[] {"ec2", "create-snapshot", "--volume-id", volumeId}, options));
    }

    private JsonNode snapshot(String snapshotId) throws Exception {
        return json("ec2", "describe-snapshots", "--snapshot-ids", snapshotId).get("Snapshots").get(0);
    }

    /** Waits for a snapshot copy (made in the background) to complete: the snapshot as described then. */
    private JsonNode awaitSnapshot(String snapshotId) throws Exception {
        JsonNode now = snapshot(snapshotId);
        for (int i = 0; i < 300 && !now.get("State").asText().equals("completed"); i++) {
            Thread.sleep(100);
            now = snapshot(snapshotId);
        }
        assertThat(now.get("State").asText()).as(snapshotId).isEqualTo("completed");
        return now;
    }

    private void attach(String volumeId) throws Exception {
        json("ec2", "attach-volume", "--volume-id", volumeId, "--instance-id", INSTANCE, "--device", "/dev/sdf");
        awaitVolume(volumeId, "in-use");
    }

    /** A new customer key (its default key policy enables IAM policies in the account): its ARN. */
    private String customerKey(String description) throws Exception {
        return json("kms", "create-key", "--description", description).at("/KeyMetadata/Arn").asText();
    }

    /** The AWS-managed EBS key as the KMS describes it. */
    private JsonNode managedEbsKey() throws Exception {
        return json("kms", "describe-key", "--key-id", "alias/aws/ebs").get("KeyMetadata");
    }

    /** An IAM user with one inline policy, made with {@code aws iam}: the environment that signs as it. */
    private Map<String, String> user(String name, String policy) throws Exception {
        json("iam", "create-user", "--user-name", name);
        json("iam", "put-user-policy", "--user-name", name, "--policy-name", name + "-policy", "--policy-document", policy);
        JsonNode key = json("iam", "create-access-key", "--user-name", name).get("AccessKey");
        Map<String, String> environment = new HashMap<>(root);
        environment.put("AWS_ACCESS_KEY_ID", key.get("AccessKeyId").asText());
        environment.put("AWS_SECRET_ACCESS_KEY", key.get("SecretAccessKey").asText());
        return environment;
    }

    private static String allow(String action) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
    }

    private static List<String> tagKeys(JsonNode resource) {
        List<String> keys = new ArrayList<>();
        if (resource.has("Tags")) {
            resource.get("Tags").forEach(t -> keys.add(t.get("Key").asText() + "=" + t.get("Value").asText()));
        }
        return keys.stream().sorted().toList();
    }

    // ---- create-volume: encryption ------------------------------------------------------------

    @Test
    void encryptedWithoutAKeyUsesTheAwsManagedEbsKey() throws Exception {
        String volumeId = createVolume("--size", "1", "--encrypted");

        JsonNode v = volume(volumeId);
        assertThat(v.get("Encrypted").asBoolean()).isTrue();
        String keyArn = v.get("KmsKeyId").asText();
        assertThat(keyArn).matches("arn:aws:kms:us-east-1:\\d{12}:key/[0-9a-f-]{36}");
        JsonNode managed = managedEbsKey();
        assertThat(managed.get("Arn").asText()).isEqualTo(keyArn);
        assertThat(managed.get("KeyManager").asText()).isEqualTo("AWS");
        assertThat(text("Volumes[0].[Encrypted,KmsKeyId]", "ec2", "describe-volumes", "--volume-ids", volumeId))
                .isEqualTo("True\t" + keyArn);
    }

    @Test
    void encryptedUnderACustomerKey() throws Exception {
        String keyArn = customerKey("cli customer key");
        String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);

        String volumeId = createVolume("--size", "1", "--encrypted", "--kms-key-id", keyId);

        JsonNode v = volume(volumeId);
        assertThat(v.get("Encrypted").asBoolean()).isTrue();
        assertThat(v.get("KmsKeyId").asText()).isEqualTo(keyArn);
    }

    @Test
    void kmsKeyIdWithoutEncryptedADisabledKeyAnUnknownZoneAndBadSizesAreRefused() throws Exception {
        String keyArn = customerKey("refusals");
        assertThat(errorCode("ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--kms-key-id", keyArn))
                .isEqualTo("InvalidParameterDependency");

        String disabled = customerKey("disabled");
        json("kms", "disable-key", "--key-id", disabled);
        assertThat(errorCode("ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--encrypted",
                "--kms-key-id", disabled)).isEqualTo("InvalidKMSKey.InvalidState");

        assertThat(errorCode("ec2", "create-volume", "--availability-zone", "us-west-2a", "--size", "1"))
                .isEqualTo("InvalidZone.NotFound");
        assertThat(errorCode("ec2", "create-volume", "--availability-zone", ZONE, "--size", "0"))
                .isEqualTo("InvalidParameterValue");
        assertThat(errorCode("ec2", "create-volume", "--availability-zone", ZONE, "--size", "16385"))
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void aVolumeFromAnEncryptedSnapshotIsEncryptedUnderTheSnapshotsKey() throws Exception {
        String keyArn = customerKey("snapshot key");
        String source = createVolume("--size", "1", "--encrypted", "--kms-key-id", keyArn);
        String snapshotId = createSnapshot(source);
        assertThat(text("Snapshots[0].[State,Encrypted,KmsKeyId]", "ec2", "describe-snapshots", "--snapshot-ids", snapshotId))
                .isEqualTo("completed\tTrue\t" + keyArn);

        String restored = createVolume("--snapshot-id", snapshotId);

        JsonNode v = volume(restored);
        assertThat(v.get("Encrypted").asBoolean()).isTrue();
        assertThat(v.get("KmsKeyId").asText()).isEqualTo(keyArn);
        assertThat(v.get("SnapshotId").asText()).isEqualTo(snapshotId);
        assertThat(v.get("Size").asInt()).isEqualTo(1);
    }

    // ---- describe-volumes ---------------------------------------------------------------------

    @Test
    void describeVolumesFiltersByStatusEncryptionSizeAttachmentAndTag() throws Exception {
        String tag = "ResourceType=volume,Tags=[{Key=suite,Value=filters}]";
        String encrypted = createVolume("--size", "2", "--encrypted", "--tag-specifications", tag);
        String attached = createVolume("--size", "3", "--tag-specifications", tag);
        attach(attached);
        String[] describe = {"ec2", "describe-volumes", "--filters", "Name=tag:suite,Values=filters"};

        assertThat(words("Volumes[].VolumeId", describe)).containsExactlyInAnyOrder(encrypted, attached);
        assertThat(words("Volumes[].VolumeId", append(describe, "Name=status,Values=in-use"))).containsExactly(attached);
        assertThat(words("Volumes[].VolumeId", append(describe, "Name=encrypted,Values=true"))).containsExactly(encrypted);
        assertThat(words("Volumes[].VolumeId", append(describe, "Name=size,Values=2"))).containsExactly(encrypted);
        assertThat(words("Volumes[].VolumeId", append(describe, "Name=size,Values=2,3"))).containsExactlyInAnyOrder(encrypted, attached);
        assertThat(words("Volumes[].VolumeId", append(describe, "Name=attachment.instance-id,Values=" + INSTANCE)))
                .containsExactly(attached);
        assertThat(text("Volumes[0].Attachments[0].[InstanceId,Device,State]", "ec2", "describe-volumes",
                "--volume-ids", attached)).isEqualTo(INSTANCE + "\t/dev/sdf\tattached");
        assertThat(errorCode(append(describe, "Name=no-such-filter,Values=x"))).isEqualTo("InvalidParameterValue");
    }

    @Test
    void describeVolumesOfAnUnknownOrMalformedIdIsRefusedWithAwssCodes() throws Exception {
        assertThat(errorCode("ec2", "describe-volumes", "--volume-ids", "vol-0000000000000000f"))
                .isEqualTo("InvalidVolume.NotFound");
        String existing = createVolume("--size", "1");
        VolumeGateway.Result oneMissing = failure("ec2", "describe-volumes", "--volume-ids", existing, "vol-0000000000000000e");
        assertThat(code(oneMissing)).isEqualTo("InvalidVolume.NotFound");
        assertThat(oneMissing.stderr()).contains("vol-0000000000000000e").doesNotContain(existing);
        assertThat(errorCode("ec2", "describe-volumes", "--volume-ids", "vol-xyz")).isEqualTo("InvalidVolumeID.Malformed");
        assertThat(errorCode("ec2", "describe-volumes", "--volume-ids", "snap-0123456789abcdef0"))
                .isEqualTo("InvalidVolumeID.Malformed");
    }

    @Test
    void plainDescribeVolumesAndSnapshotsListEverything() throws Exception {
        // Without filters or ids the CLI pages these by 1000 (MaxResults=1000), more than DescribeVolumes' 500.
        String volumeId = createVolume("--size", "1");
        String snapshotId = createSnapshot(volumeId);
        assertThat(words("Volumes[].VolumeId", "ec2", "describe-volumes")).contains(volumeId);
        assertThat(words("Snapshots[].SnapshotId", "ec2", "describe-snapshots", "--owner-ids", "self")).contains(snapshotId);
    }

    // ---- modify-volume ------------------------------------------------------------------------

    @Test
    void modifyVolumeGrowsAnAttachedVolumeSeenByANewNbdConnectionAndRefusesToShrink() throws Exception {
        String volumeId = createVolume("--size", "1", "--encrypted");
        attach(volumeId);
        assertThat(nbdSize(volumeId)).isEqualTo(1L << 30);

        JsonNode modification = json("ec2", "modify-volume", "--volume-id", volumeId, "--size", "3")
                .get("VolumeModification");
        assertThat(modification.get("OriginalSize").asInt()).isEqualTo(1);
        assertThat(modification.get("TargetSize").asInt()).isEqualTo(3);
        assertThat(modification.get("ModificationState").asText()).isEqualTo("completed");

        assertThat(text("Volumes[0].[Size,State]", "ec2", "describe-volumes", "--volume-ids", volumeId)).isEqualTo("3\tin-use");
        assertThat(nbdSize(volumeId)).isEqualTo(3L << 30);

        assertThat(errorCode("ec2", "modify-volume", "--volume-id", volumeId, "--size", "2")).isEqualTo("InvalidParameterValue");
        assertThat(text("Volumes[0].Size", "ec2", "describe-volumes", "--volume-ids", volumeId)).isEqualTo("3");

        // A detached volume grows too, and is attached at its new size.
        String detached = createVolume("--size", "1");
        assertThat(text("VolumeModification.TargetSize", "ec2", "modify-volume", "--volume-id", detached, "--size", "2"))
                .isEqualTo("2");
        attach(detached);
        assertThat(nbdSize(detached)).isEqualTo(2L << 30);
    }

    private long nbdSize(String volumeId) throws Exception {
        VolumeGateway.Result r = VolumeGateway.run(temp, Map.of(), List.of("nbdinfo", "--size", gateway.nbdUri(volumeId)), 30);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return Long.parseLong(r.stdout());
    }

    // ---- the account's encryption defaults ----------------------------------------------------

    @Test
    void encryptionByDefaultEncryptsNewVolumesAndCopiesOfUnencryptedSnapshots() throws Exception {
        String plain = createVolume("--size", "1");
        String plainSnapshot = createSnapshot(plain);
        assertThat(snapshot(plainSnapshot).get("Encrypted").asBoolean()).isFalse();
        assertThat(text("EbsEncryptionByDefault", "ec2", "get-ebs-encryption-by-default")).isEqualTo("False");
        try {
            assertThat(text("EbsEncryptionByDefault", "ec2", "enable-ebs-encryption-by-default")).isEqualTo("True");
            assertThat(text("EbsEncryptionByDefault", "ec2", "get-ebs-encryption-by-default")).isEqualTo("True");

            String byDefault = createVolume("--size", "1");
            JsonNode v = volume(byDefault);
            assertThat(v.get("Encrypted").asBoolean()).isTrue();
            assertThat(v.get("KmsKeyId").asText()).isEqualTo(managedEbsKey().get("Arn").asText());

            String copy = text("SnapshotId", "ec2", "copy-snapshot", "--source-region", "us-east-1",
                    "--source-snapshot-id", plainSnapshot);
            JsonNode copied = awaitSnapshot(copy);
            assertThat(copied.get("Encrypted").asBoolean()).isTrue();
            assertThat(copied.get("KmsKeyId").asText()).isEqualTo(managedEbsKey().get("Arn").asText());
        } finally {
            assertThat(text("EbsEncryptionByDefault", "ec2", "disable-ebs-encryption-by-default")).isEqualTo("False");
        }
        assertThat(text("EbsEncryptionByDefault", "ec2", "get-ebs-encryption-by-default")).isEqualTo("False");
        assertThat(volume(createVolume("--size", "1")).get("Encrypted").asBoolean()).isFalse();
    }

    @Test
    void theDefaultKmsKeyCanBeSetToACustomerKeyAndReset() throws Exception {
        String aliasArn = text("KmsKeyId", "ec2", "get-ebs-default-kms-key-id");
        assertThat(aliasArn).matches("arn:aws:kms:us-east-1:\\d{12}:alias/aws/ebs");
        String keyArn = customerKey("account default");
        assertThat(keyArn).startsWith(aliasArn.substring(0, aliasArn.indexOf(":alias/")) + ":key/");
        try {
            assertThat(text("KmsKeyId", "ec2", "modify-ebs-default-kms-key-id", "--kms-key-id", keyArn)).isEqualTo(keyArn);
            assertThat(text("KmsKeyId", "ec2", "get-ebs-default-kms-key-id")).isEqualTo(keyArn);
            assertThat(volume(createVolume("--size", "1", "--encrypted")).get("KmsKeyId").asText()).isEqualTo(keyArn);
        } finally {
            assertThat(text("KmsKeyId", "ec2", "reset-ebs-default-kms-key-id")).isEqualTo(aliasArn);
        }
        assertThat(text("KmsKeyId", "ec2", "get-ebs-default-kms-key-id")).isEqualTo(aliasArn);
        assertThat(volume(createVolume("--size", "1", "--encrypted")).get("KmsKeyId").asText())
                .isEqualTo(managedEbsKey().get("Arn").asText());
        String disabled = customerKey("disabled default");
        json("kms", "disable-key", "--key-id", disabled);
        assertThat(errorCode("ec2", "modify-ebs-default-kms-key-id", "--kms-key-id", disabled))
                .isEqualTo("InvalidKMSKey.InvalidState");
        assertThat(text("KmsKeyId", "ec2", "get-ebs-default-kms-key-id")).isEqualTo(aliasArn);
    }

    // ---- tags ---------------------------------------------------------------------------------

    @Test
    void tagsOnVolumesAndSnapshotsAreDescribedFilterableAndDeletable() throws Exception {
        String volumeId = createVolume("--size", "1", "--tag-specifications",
                "ResourceType=volume,Tags=[{Key=Name,Value=tagged},{Key=team,Value=storage}]");
        assertThat(tagKeys(volume(volumeId))).containsExactly("Name=tagged", "team=storage");
        String snapshotId = createSnapshot(volumeId, "--tag-specifications",
                "ResourceType=snapshot,Tags=[{Key=Name,Value=nightly}]");
        assertThat(tagKeys(snapshot(snapshotId))).containsExactly("Name=nightly");

        json("ec2", "create-tags", "--resources", volumeId, snapshotId, "--tags", "Key=stage,Value=cli-tags",
                "Key=team,Value=blocks");
        assertThat(tagKeys(volume(volumeId))).containsExactly("Name=tagged", "stage=cli-tags", "team=blocks");
        assertThat(tagKeys(snapshot(snapshotId))).containsExactly("Name=nightly", "stage=cli-tags", "team=blocks");
        assertThat(words("Volumes[].VolumeId", "ec2", "describe-volumes", "--filters", "Name=tag:stage,Values=cli-tags"))
                .containsExactly(volumeId);
        assertThat(words("Snapshots[].SnapshotId", "ec2", "describe-snapshots", "--owner-ids", "self",
                "--filters", "Name=tag:stage,Values=cli-tags")).containsExactly(snapshotId);
        assertThat(words("Volumes[].VolumeId", "ec2", "describe-volumes", "--filters", "Name=tag-key,Values=stage",
                "Name=tag:Name,Values=tag*")).containsExactly(volumeId);

        json("ec2", "delete-tags", "--resources", volumeId, snapshotId, "--tags", "Key=stage", "Key=team,Value=other");
        assertThat(tagKeys(volume(volumeId))).containsExactly("Name=tagged", "team=blocks");
        assertThat(tagKeys(snapshot(snapshotId))).containsExactly("Name=nightly", "team=blocks");
        assertThat(words("Volumes[].VolumeId", "ec2", "describe-volumes", "--filters", "Name=tag:stage,Values=cli-tags")).isEmpty();
        assertThat(words("Snapshots[].SnapshotId", "ec2", "describe-snapshots", "--filters", "Name=tag:stage,Values=cli-tags"))
                .isEmpty();

        assertThat(errorCode("ec2", "create-tags", "--resources", "vol-0000000000000000d", "--tags", "Key=a,Value=b"))
                .isEqualTo("InvalidVolume.NotFound");
        assertThat(errorCode("ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--tag-specifications",
                "ResourceType=snapshot,Tags=[{Key=a,Value=b}]")).isEqualTo("InvalidParameterValue");
    }

    // ---- state errors and DryRun --------------------------------------------------------------

    @Test
    void stateErrorsUnknownSnapshotsAndDryRun() throws Exception {
        String volumeId = createVolume("--size", "1");
        attach(volumeId);
        assertThat(errorCode("ec2", "attach-volume", "--volume-id", volumeId, "--instance-id", "i-0fedcba9876543210",
                "--device", "/dev/sdg")).isEqualTo("VolumeInUse");
        assertThat(text("Volumes[0].Attachments[0].InstanceId", "ec2", "describe-volumes", "--volume-ids", volumeId))
                .isEqualTo(INSTANCE);

        String available = createVolume("--size", "1");
        assertThat(errorCode("ec2", "detach-volume", "--volume-id", available)).isEqualTo("IncorrectState");

        assertThat(errorCode("ec2", "delete-snapshot", "--snapshot-id", "snap-0000000000000000a"))
                .isEqualTo("InvalidSnapshot.NotFound");

        VolumeGateway.Result dryRun = failure("ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--dry-run",
                "--tag-specifications", "ResourceType=volume,Tags=[{Key=dry,Value=run}]");
        assertThat(code(dryRun)).isEqualTo("DryRunOperation");
        assertThat(dryRun.stderr()).contains("Request would have succeeded, but DryRun flag is set");
        assertThat(words("Volumes[].VolumeId", "ec2", "describe-volumes", "--filters", "Name=tag:dry,Values=run")).isEmpty();
    }

    // ---- IAM users ----------------------------------------------------------------------------

    @Test
    void aUserAllowedOnlyToDescribeVolumesCannotCreateOne() throws Exception {
        Map<String, String> reader = user("volume-reader", allow("ec2:DescribeVolumes"));

        assertThat(jsonAs(reader, "ec2", "describe-volumes").get("Volumes").isArray()).isTrue();
        VolumeGateway.Result denied = failureAs(reader, "ec2", "create-volume", "--availability-zone", ZONE, "--size", "1");
        assertThat(code(denied)).isEqualTo("UnauthorizedOperation");
        assertThat(denied.stderr()).contains("user/volume-reader", "ec2:CreateVolume");
        assertThat(errorCodeAs(reader, "ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--dry-run"))
                .as("DryRun of a denied request").isEqualTo("UnauthorizedOperation");
        assertThat(errorCodeAs(reader, "ec2", "describe-snapshots", "--owner-ids", "self")).isEqualTo("UnauthorizedOperation");
    }

    @Test
    void aUserWithEc2ButNoKmsRightsCannotEncryptUnderACustomerKey() throws Exception {
        String keyArn = customerKey("iam-enabled key");
        assertThat(json("kms", "get-key-policy", "--key-id", keyArn, "--policy-name", "default").get("Policy").asText())
                .contains(":root");
        Map<String, String> ec2Admin = user("ec2-admin", allow("ec2:*"));

        String plain = jsonAs(ec2Admin, "ec2", "create-volume", "--availability-zone", ZONE, "--size", "1").get("VolumeId").asText();
        assertThat(volume(plain).get("Encrypted").asBoolean()).isFalse();

        VolumeGateway.Result denied = failureAs(ec2Admin, "ec2", "create-volume", "--availability-zone", ZONE, "--size", "1",
                "--encrypted", "--kms-key-id", keyArn);
        assertThat(code(denied)).isEqualTo("UnauthorizedOperation");
        assertThat(denied.stderr()).contains(keyArn);
        assertThat(words("Volumes[?KmsKeyId=='" + keyArn + "'].VolumeId", "ec2", "describe-volumes")).isEmpty();

        // With kms rights on the key, the same request succeeds.
        json("iam", "put-user-policy", "--user-name", "ec2-admin", "--policy-name", "kms-key", "--policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:DescribeKey\","
                        + "\"kms:GenerateDataKeyWithoutPlaintext\",\"kms:CreateGrant\"],\"Resource\":\"" + keyArn + "\"}]}");
        String encrypted = jsonAs(ec2Admin, "ec2", "create-volume", "--availability-zone", ZONE, "--size", "1", "--encrypted",
                "--kms-key-id", keyArn).get("VolumeId").asText();
        assertThat(volume(encrypted).get("KmsKeyId").asText()).isEqualTo(keyArn);
    }
}

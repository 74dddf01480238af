package dev.coffer.blockstore.ec2;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * EC2 resource ids: a prefix and 17 lower-case hex digits ({@code vol-0123456789abcdef0}); ids of
 * the older 8-digit form are accepted in requests, as EC2 accepts them.
 */
final class Ec2Ids {
    private static final Pattern VOLUME = Pattern.compile("vol-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SNAPSHOT = Pattern.compile("snap-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern INSTANCE = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    private final SecureRandom random;

    Ec2Ids(SecureRandom random) {
        this.random = random;
    }

    String newVolumeId() {
        return "vol-" + hex17();
    }

    String newSnapshotId() {
        return "snap-" + hex17();
    }

    /** An id of the data key a volume lineage shares (DataEncryptionKeyId). */
    String newDataKeyId() {
        return "dek-" + hex17();
    }

    private String hex17() {
        byte[] b = new byte[9];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b).substring(0, 17);
    }

    static String volumeId(String id) {
        if (!VOLUME.matcher(id).matches()) {
            throw new Ec2Exception(Ec2Error.INVALID_VOLUME_ID_MALFORMED, "Invalid id: \"" + id + "\" (expecting \"vol-...\")");
        }
        return id;
    }

    static String snapshotId(String id) {
        if (!SNAPSHOT.matcher(id).matches()) {
            throw new Ec2Exception(Ec2Error.INVALID_SNAPSHOT_ID_MALFORMED, "Invalid id: \"" + id + "\" (expecting \"snap-...\")");
        }
        return id;
    }

    static String instanceId(String id) {
        if (!INSTANCE.matcher(id).matches()) {
            throw new Ec2Exception(Ec2Error.INVALID_INSTANCE_ID_MALFORMED, "Invalid id: \"" + id + "\" (expecting \"i-...\")");
        }
        return id;
    }
}

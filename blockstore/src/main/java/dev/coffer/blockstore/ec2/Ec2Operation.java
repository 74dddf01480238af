package dev.coffer.blockstore.ec2;

import java.util.HashMap;
import java.util.Map;

/**
 * Every EC2 action Coffer serves, by its AWS name ({@code Action=<name>}); the route table in
 * {@link Ec2Service} maps each to its one handler. Its permission is {@code ec2:<name>}.
 */
public enum Ec2Operation {
    CreateVolume, DescribeVolumes, DeleteVolume, ModifyVolume,
    CreateSnapshot, DescribeSnapshots, DeleteSnapshot, CopySnapshot,
    AttachVolume, DetachVolume,
    EnableEbsEncryptionByDefault, DisableEbsEncryptionByDefault, GetEbsEncryptionByDefault,
    GetEbsDefaultKmsKeyId, ModifyEbsDefaultKmsKeyId, ResetEbsDefaultKmsKeyId,
    CreateTags, DeleteTags;

    /** The API version every request names. */
    public static final String API_VERSION = "2016-11-15";

    private static final Map<String, Ec2Operation> BY_NAME = new HashMap<>();

    static {
        for (Ec2Operation op : values()) {
            BY_NAME.put(op.name(), op);
        }
    }

    /** The IAM action, e.g. {@code ec2:CreateVolume}. */
    public String action() {
        return "ec2:" + name();
    }

    /** The action with this exact (case-sensitive) name, or null. */
    public static Ec2Operation byName(String name) {
        return BY_NAME.get(name);
    }
}

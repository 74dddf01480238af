package dev.coffer.blockstore.ec2;

import java.util.ArrayList;
import java.util.List;

/** The EC2 model's output structures (Volume, Snapshot, VolumeAttachment, Tag) from stored records. */
final class Ec2Shapes {
    private Ec2Shapes() {
    }

    /** The {@code Volume} structure's members. */
    static List<Ec2XmlNode> volume(Ec2VolumeRecord v) {
        List<Ec2XmlNode> out = new ArrayList<>();
        out.add(Ec2XmlNode.text("volumeId", v.volumeId()));
        out.add(Ec2XmlNode.number("size", v.sizeGiB()));
        out.add(Ec2XmlNode.text("snapshotId", v.snapshotId() == null ? "" : v.snapshotId()));
        out.add(Ec2XmlNode.text("availabilityZone", v.availabilityZone()));
        out.add(Ec2XmlNode.text("status", v.state()));
        out.add(Ec2XmlNode.date("createTime", v.createTime()));
        List<List<Ec2XmlNode>> attachments = new ArrayList<>();
        if (v.attachment() != null) {
            attachments.add(attachment(v.volumeId(), v.attachment(), v.attachment().state()));
        }
        out.add(Ec2XmlNode.items("attachmentSet", attachments));
        out.add(Ec2XmlNode.bool("encrypted", v.encrypted()));
        if (v.encrypted()) {
            out.add(Ec2XmlNode.text("kmsKeyId", v.kmsKeyArn()));
        }
        if (!v.tags().isEmpty()) {
            out.add(tagSet(v.tags()));
        }
        out.add(Ec2XmlNode.text("volumeType", v.volumeType()));
        if (v.iops() != null) {
            out.add(Ec2XmlNode.number("iops", v.iops()));
        }
        if (v.throughput() != null) {
            out.add(Ec2XmlNode.number("throughput", v.throughput()));
        }
        out.add(Ec2XmlNode.bool("multiAttachEnabled", false));
        if (v.encrypted()) {
            out.add(Ec2XmlNode.text("sseType", "sse-ebs"));
        }
        return out;
    }

    /** The {@code VolumeAttachment} structure's members, with the state to report. */
    static List<Ec2XmlNode> attachment(String volumeId, Ec2Attachment a, String state) {
        return List.of(
                Ec2XmlNode.text("volumeId", volumeId),
                Ec2XmlNode.text("instanceId", a.instanceId()),
                Ec2XmlNode.text("device", a.device()),
                Ec2XmlNode.text("status", state),
                Ec2XmlNode.date("attachTime", a.attachTime()),
                Ec2XmlNode.bool("deleteOnTermination", false));
    }

    /** The {@code Snapshot} structure's members. */
    static List<Ec2XmlNode> snapshot(Ec2SnapshotRecord s) {
        List<Ec2XmlNode> out = new ArrayList<>();
        out.add(Ec2XmlNode.text("snapshotId", s.snapshotId()));
        out.add(Ec2XmlNode.text("volumeId", s.volumeId()));
        out.add(Ec2XmlNode.text("status", s.state()));
        if (s.statusMessage() != null) {
            out.add(Ec2XmlNode.text("statusMessage", s.statusMessage()));
        }
        out.add(Ec2XmlNode.date("startTime", s.startTime()));
        if (s.completionTime() != null) {
            out.add(Ec2XmlNode.date("completionTime", s.completionTime()));
        }
        out.add(Ec2XmlNode.text("progress", s.progress() + "%"));
        out.add(Ec2XmlNode.text("ownerId", s.ownerId()));
        out.add(Ec2XmlNode.text("volumeSize", String.valueOf(s.volumeSizeGiB())));
        out.add(Ec2XmlNode.text("description", s.description() == null ? "" : s.description()));
        out.add(Ec2XmlNode.bool("encrypted", s.encrypted()));
        if (s.encrypted()) {
            out.add(Ec2XmlNode.text("kmsKeyId", s.kmsKeyArn()));
            out.add(Ec2XmlNode.text("dataEncryptionKeyId", s.dataKeyId()));
            out.add(Ec2XmlNode.text("sseType", "sse-ebs"));
        }
        out.add(Ec2XmlNode.text("storageTier", "standard"));
        if (!s.tags().isEmpty()) {
            out.add(tagSet(s.tags()));
        }
        return out;
    }

    static Ec2XmlNode tagSet(List<Ec2Tag> tags) {
        return Ec2XmlNode.items("tagSet", tags.stream().map(t -> List.of(
                Ec2XmlNode.text("key", t.key()), Ec2XmlNode.text("value", t.value() == null ? "" : t.value()))).toList());
    }
}

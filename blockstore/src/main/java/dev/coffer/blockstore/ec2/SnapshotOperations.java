package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * CreateSnapshot, DescribeSnapshots, DeleteSnapshot and CopySnapshot. A snapshot of an encrypted
 * volume keeps the volume's key, data key and binding (no KMS call) and is O(1) in the engine: it is
 * answered {@code pending}, as EC2 answers, and is complete by the time the answer is sent. A copy
 * re-codes every block in the background: encrypted when the source is, when asked, or when
 * encryption by default is on, under a new data key whose context and binding are the copy's id.
 * The copy's key: KmsKeyId if given; else the source's key for an encrypted source; else the
 * account's default key (alias/aws/ebs until one is set). Copies stay in this region: SourceRegion
 * (and DestinationRegion, if given) must be it.
 */
final class SnapshotOperations {
    private static final System.Logger LOG = System.getLogger(SnapshotOperations.class.getName());
    /** What EC2 reports as the volume of a snapshot copy. */
    static final String COPY_VOLUME_ID = "vol-ffffffff";
    private static final Set<String> SNAPSHOT_FILTERS = Set.of("snapshot-id", "volume-id", "status", "encrypted",
            "owner-id", "description", "progress", "volume-size", "kms-key-id", "start-time", "tag-key");

    private final Ec2Context ctx;
    private final String region;

    SnapshotOperations(Ec2Context ctx) {
        this.ctx = ctx;
        this.region = ctx.config.region();
    }

    List<Ec2XmlNode> createSnapshot(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String volumeId = Ec2Ids.volumeId(p.required("VolumeId"));
        String description = description(p);
        List<Ec2Tag> tags = p.tagSpecifications("snapshot");
        String snapshotId = ctx.ids.newSnapshotId();
        request.authorize(request.volumeArn(volumeId), request.snapshotArn(snapshotId));
        Ec2SnapshotRecord pending;
        synchronized (ctx.lock) {
            Ec2VolumeRecord v = ctx.records.existingVolume(volumeId);
            if (!v.state().equals("available") && !v.state().equals("in-use")) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "The volume '" + volumeId + "' is in the '" + v.state() + "' state.");
            }
            pending = new Ec2SnapshotRecord(Ec2SnapshotRecord.VERSION, snapshotId, request.accountId(), volumeId,
                    v.sizeGiB(), description, "pending", 0, ctx.now(), null, null, v.encrypted(), v.kmsKeyArn(),
                    v.encryptedDataKey(), v.dataKeyId(), v.bindingId(), tags, null, v.blockSizeBytes());
            ctx.records.put(pending);
            try {
                ctx.engine.createSnapshot(volumeId, snapshotId);
            } catch (RuntimeException e) {
                ctx.records.deleteSnapshot(snapshotId);
                throw e;
            }
            ctx.records.put(pending.withProgress("completed", 100, ctx.now(), null));
        }
        return Ec2Shapes.snapshot(pending);
    }

    private static String description(Ec2Parameters p) {
        String d = p.string("Description").orElse("");
        if (d.length() > 255) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "The description may be at most 255 characters long.");
        }
        return d;
    }

    List<Ec2XmlNode> describeSnapshots(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        List<String> ids = p.list("SnapshotId").stream().map(Ec2Ids::snapshotId).toList();
        List<String> owners = p.list("Owner");
        List<Ec2Filter> filters = p.filters();
        Ec2Filter.checkNames(filters, n -> SNAPSHOT_FILTERS.contains(n) || n.startsWith("tag:"));
        int maxResults = Ec2Page.maxResults(p, 5, 1000, false, !ids.isEmpty(), "snapshotSet");
        Optional<String> token = p.string("NextToken").filter(s -> !s.isEmpty());
        request.authorize("*");
        String account = request.accountId();
        List<Ec2SnapshotRecord> snapshots = ctx.records.snapshots().stream()
                .filter(s -> s.ownerId().equals(account))
                .filter(s -> owners.isEmpty() || owners.contains("self") || owners.contains(account))
                .toList();
        if (!ids.isEmpty()) {
            List<String> missing = new ArrayList<>();
            List<Ec2SnapshotRecord> selected = new ArrayList<>();
            for (String id : ids.stream().distinct().sorted().toList()) {
                snapshots.stream().filter(s -> s.snapshotId().equals(id)).findFirst()
                        .ifPresentOrElse(selected::add, () -> missing.add(id));
            }
            if (!missing.isEmpty()) {
                throw new Ec2Exception(Ec2Error.INVALID_SNAPSHOT_NOT_FOUND, missing.size() == 1
                        ? "The snapshot '" + missing.getFirst() + "' does not exist."
                        : "The snapshots '" + String.join(", ", missing) + "' do not exist.");
            }
            snapshots = selected;
        }
        snapshots = Ec2Filter.apply(filters, snapshots, SnapshotOperations::filterValues);
        Ec2Page<Ec2SnapshotRecord> page = Ec2Page.of(snapshots, Ec2SnapshotRecord::snapshotId, token, maxResults);
        List<Ec2XmlNode> out = new ArrayList<>();
        out.add(Ec2XmlNode.items("snapshotSet", page.items().stream().map(Ec2Shapes::snapshot).toList()));
        page.nextToken().ifPresent(t -> out.add(Ec2XmlNode.text("nextToken", t)));
        return out;
    }

    static List<String> filterValues(Ec2SnapshotRecord s, String name) {
        if (name.startsWith("tag:")) {
            String key = name.substring(4);
            return s.tags().stream().filter(t -> t.key().equals(key)).map(Ec2Tag::value).toList();
        }
        return switch (name) {
            case "snapshot-id" -> List.of(s.snapshotId());
            case "volume-id" -> List.of(s.volumeId());
            case "status" -> List.of(s.state());
            case "encrypted" -> List.of(String.valueOf(s.encrypted()));
            case "owner-id" -> List.of(s.ownerId());
            case "description" -> List.of(s.description() == null ? "" : s.description());
            case "progress" -> List.of(s.progress() + "%");
            case "volume-size" -> List.of(String.valueOf(s.volumeSizeGiB()));
            case "kms-key-id" -> s.encrypted() ? List.of(s.kmsKeyArn()) : List.of();
            case "start-time" -> List.of(s.startTime().toString());
            case "tag-key" -> s.tags().stream().map(Ec2Tag::key).toList();
            default -> null;
        };
    }

    List<Ec2XmlNode> deleteSnapshot(Ec2Request request) {
        String snapshotId = Ec2Ids.snapshotId(request.parameters().required("SnapshotId"));
        request.authorize(request.snapshotArn(snapshotId));
        synchronized (ctx.lock) {
            Ec2SnapshotRecord s = ctx.records.existingSnapshot(snapshotId);
            if (s.state().equals("pending")) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "The snapshot '" + snapshotId + "' is in the 'pending' state.");
            }
            boolean beingCopied = ctx.records.snapshots().stream()
                    .anyMatch(c -> c.state().equals("pending") && snapshotId.equals(c.sourceSnapshotId()))
                    || ctx.records.volumes().stream().anyMatch(v -> v.copying() && snapshotId.equals(v.snapshotId()));
            if (beingCopied) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE,
                        "The snapshot '" + snapshotId + "' is being copied; delete it when the copy has finished.");
            }
            if (ctx.engine.exists(snapshotId)) {
                ctx.engine.deleteSnapshot(snapshotId);
            }
            ctx.records.deleteSnapshot(snapshotId);
        }
        return List.of(Ec2XmlNode.bool("return", true));
    }

    List<Ec2XmlNode> copySnapshot(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String sourceRegion = p.required("SourceRegion");
        String sourceId = Ec2Ids.snapshotId(p.required("SourceSnapshotId"));
        if (!sourceRegion.equals(region)) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Value (" + sourceRegion
                    + ") for parameter SourceRegion is invalid. Coffer copies snapshots within its region, " + region + ".");
        }
        p.string("DestinationRegion").filter(r -> !r.isEmpty() && !r.equals(region)).ifPresent(r -> {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Value (" + r + ") for parameter DestinationRegion is invalid.");
        });
        Optional<Boolean> encryptedParameter = p.bool("Encrypted");
        Optional<String> kmsKeyId = p.string("KmsKeyId").filter(s -> !s.isEmpty());
        if (kmsKeyId.isPresent() && !encryptedParameter.orElse(false)) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_DEPENDENCY, "The parameter KmsKeyId requires the parameter Encrypted to be set.");
        }
        String description = description(p);
        List<Ec2Tag> tags = p.tagSpecifications("snapshot");
        String copyId = ctx.ids.newSnapshotId();
        request.authorize(request.snapshotArn(sourceId), request.snapshotArn(copyId));

        Ec2SnapshotRecord source = ctx.records.existingSnapshot(sourceId);
        if (!source.state().equals("completed")) {
            throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "Snapshot is in invalid state - " + source.state());
        }
        Ec2AccountSettings settings = ctx.records.settings(request.accountId());
        boolean encrypted = source.encrypted() || encryptedParameter.orElse(false) || settings.encryptionByDefault();
        String requester = request.requester();
        String keyArn = null;
        byte[] edk = null;
        Ec2Keys.Unsealed from = null;
        Ec2Keys.Unsealed to = null;
        Ec2SnapshotRecord pending;
        try {
            if (encrypted) {
                keyArn = kmsKeyId.isPresent() || !source.encrypted()
                        ? ctx.keys.resolve(requester, kmsKeyId.orElse(null), settings) : source.kmsKeyArn();
                edk = ctx.keys.newDataKey(requester, keyArn, copyId);
                to = ctx.keys.unseal(requester, keyArn, edk, copyId, source.blockSizeBytes());
            }
            if (source.encrypted()) {
                from = ctx.keys.unseal(requester, source.kmsKeyArn(), source.encryptedDataKey(), source.bindingId(),
                        source.blockSizeBytes());
            }
            pending = new Ec2SnapshotRecord(Ec2SnapshotRecord.VERSION, copyId, request.accountId(), COPY_VOLUME_ID,
                    source.volumeSizeGiB(), description, "pending", 0, ctx.now(), null, null, encrypted, keyArn, edk,
                    encrypted ? ctx.ids.newDataKeyId() : null, encrypted ? copyId : null, tags, sourceId,
                    source.blockSizeBytes());
            synchronized (ctx.lock) {
                ctx.records.put(pending);
            }
            Ec2Keys.Unsealed fromKey = from;
            Ec2Keys.Unsealed toKey = to;
            try {
                ctx.background.execute(() -> copy(pending, source, fromKey, toKey));
            } catch (RejectedExecutionException e) {
                synchronized (ctx.lock) {
                    ctx.records.deleteSnapshot(copyId);
                }
                throw new Ec2Exception(Ec2Error.REQUEST_LIMIT_EXCEEDED,
                        "Too many volume and snapshot copies are in progress; try again later.");
            }
        } catch (RuntimeException e) {
            ctx.keys.release(from);
            ctx.keys.release(to);
            throw e;
        }
        List<Ec2XmlNode> out = new ArrayList<>();
        out.add(Ec2XmlNode.text("snapshotId", copyId));
        if (!tags.isEmpty()) {
            out.add(Ec2Shapes.tagSet(tags));
        }
        return out;
    }

    private void copy(Ec2SnapshotRecord pending, Ec2SnapshotRecord source, Ec2Keys.Unsealed from, Ec2Keys.Unsealed to) {
        String copyId = pending.snapshotId();
        try {
            BlockCodec sourceCodec = from == null ? BlockCodec.plaintext() : from.codec(source.bindingId());
            BlockCodec targetCodec = to == null ? BlockCodec.plaintext() : to.codec(copyId);
            ctx.engine.copySnapshot(source.snapshotId(), sourceCodec, copyId, Optional.ofNullable(pending.bindingId()),
                    targetCodec, percent -> progress(copyId, (int) Math.min(99, Math.max(0, percent))));
            finish(copyId, "completed", 100, null);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, () -> "copying " + source.snapshotId() + " to " + copyId + " failed", e);
            finish(copyId, "error", 0, "The snapshot copy failed.");
        } finally {
            ctx.keys.release(from);
            ctx.keys.release(to);
        }
    }

    private void progress(String snapshotId, int percent) {
        if (ctx.closed) {
            return;
        }
        synchronized (ctx.lock) {
            ctx.records.snapshot(snapshotId).filter(s -> s.state().equals("pending") && s.progress() < percent)
                    .ifPresent(s -> ctx.records.put(s.withProgress("pending", percent, null, null)));
        }
    }

    private void finish(String snapshotId, String state, int percent, String message) {
        if (ctx.closed) {
            return;
        }
        try {
            synchronized (ctx.lock) {
                ctx.records.snapshot(snapshotId).ifPresent(s -> ctx.records.put(
                        s.withProgress(state, percent == 0 ? s.progress() : percent, ctx.now(), message)));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not record the end of copying " + snapshotId + ": " + e.getMessage());
        }
    }
}

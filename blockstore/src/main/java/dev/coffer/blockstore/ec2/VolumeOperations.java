package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * CreateVolume, DescribeVolumes, DeleteVolume and ModifyVolume, with EBS's encryption rules
 * (docs: aws-semantics 3.1): a new volume is encrypted when asked, when made from an encrypted
 * snapshot, or when encryption by default is on. A volume from an encrypted snapshot under the same
 * key shares the snapshot's data key and blocks; any other encrypted volume from a snapshot gets a
 * new data key and is made by re-coding the snapshot's blocks in the background (state
 * {@code creating} until done).
 */
final class VolumeOperations {
    private static final System.Logger LOG = System.getLogger(VolumeOperations.class.getName());
    private static final Set<String> VOLUME_FILTERS = Set.of("volume-id", "status", "size", "encrypted", "snapshot-id",
            "availability-zone", "volume-type", "attachment.instance-id", "attachment.status", "attachment.device",
            "attachment.volume-id", "kms-key-id", "tag-key");

    private final Ec2Context ctx;

    VolumeOperations(Ec2Context ctx) {
        this.ctx = ctx;
    }

    List<Ec2XmlNode> createVolume(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String zone = p.required("AvailabilityZone");
        if (!zone.matches(java.util.regex.Pattern.quote(ctx.config.region()) + "[a-f]")) {
            throw new Ec2Exception(Ec2Error.INVALID_ZONE_NOT_FOUND, "The zone '" + zone + "' does not exist.");
        }
        Optional<String> snapshotId = p.string("SnapshotId").filter(s -> !s.isEmpty()).map(Ec2Ids::snapshotId);
        Optional<Integer> size = p.integer("Size");
        if (size.isEmpty() && snapshotId.isEmpty()) {
            throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter size or snapshotId");
        }
        Ec2VolumeType type = Ec2VolumeType.of(p.string("VolumeType").orElse("gp2"));
        Optional<Boolean> encryptedParameter = p.bool("Encrypted");
        Optional<String> kmsKeyId = p.string("KmsKeyId").filter(s -> !s.isEmpty());
        if (kmsKeyId.isPresent() && !encryptedParameter.orElse(false)) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_DEPENDENCY, "The parameter KmsKeyId requires the parameter Encrypted to be set.");
        }
        if (p.flag("MultiAttachEnabled") || p.string("OutpostArn").isPresent()) {
            throw new Ec2Exception(Ec2Error.UNSUPPORTED_OPERATION, "Coffer volumes do not support Multi-Attach or Outposts.");
        }
        List<Ec2Tag> tags = p.tagSpecifications("volume");
        String volumeId = ctx.ids.newVolumeId();
        if (snapshotId.isPresent()) {
            request.authorize(request.volumeArn(volumeId), request.snapshotArn(snapshotId.get()));
        } else {
            request.authorize(request.volumeArn(volumeId));
        }

        Ec2AccountSettings settings = ctx.records.settings(request.accountId());
        Ec2SnapshotRecord source = snapshotId.map(ctx.records::existingSnapshot).orElse(null);
        if (source != null && !source.state().equals("completed")) {
            throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "Snapshot is in invalid state - " + source.state());
        }
        int sizeGiB = size.orElseGet(() -> source.volumeSizeGiB());
        if (source != null && sizeGiB < source.volumeSizeGiB()) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Volume of size " + sizeGiB + "GiB is smaller than snapshot '"
                    + source.snapshotId() + "', expect size >= " + source.volumeSizeGiB() + "GiB");
        }
        Ec2VolumeType.Performance performance = type.check(sizeGiB, p.integer("Iops"), p.integer("Throughput"));
        boolean encrypted = encryptedParameter.orElse(false) || settings.encryptionByDefault()
                || (source != null && source.encrypted());
        int blockSize = source != null ? source.blockSizeBytes() : ctx.config.blockSizeBytes();
        Draft draft = new Draft(request, volumeId, sizeGiB, type, performance, zone, tags, blockSize);

        if (!encrypted) {
            return plainVolume(draft, source);
        }
        if (source != null && source.encrypted()) {
            String keyArn = kmsKeyId.isPresent() ? ctx.keys.resolve(request.requester(), kmsKeyId.get(), settings)
                    : source.kmsKeyArn();
            if (keyArn.equals(source.kmsKeyArn())) {
                return sharedKeyVolume(draft, source);
            }
            return recodedVolume(draft, source, keyArn);
        }
        String keyArn = ctx.keys.resolve(request.requester(), kmsKeyId.orElse(null), settings);
        if (source != null) {
            return recodedVolume(draft, source, keyArn);
        }
        return newEncryptedVolume(draft, keyArn);
    }

    /** What every new volume has, whatever its keys. */
    private record Draft(Ec2Request request, String volumeId, int sizeGiB, Ec2VolumeType type,
                         Ec2VolumeType.Performance performance, String zone, List<Ec2Tag> tags, int blockSize) {}

    private Ec2VolumeRecord record(Draft d, String snapshotId, boolean encrypted, String keyArn, byte[] edk,
                                   String dataKeyId, String bindingId, boolean copying) {
        return new Ec2VolumeRecord(Ec2VolumeRecord.VERSION, d.volumeId(), d.request().accountId(), d.sizeGiB(),
                d.type().wireName(), d.performance().iops(), d.performance().throughput(), d.zone(), snapshotId,
                "creating", ctx.now(), encrypted, keyArn, edk, dataKeyId, bindingId, d.tags(), null, copying, d.blockSize());
    }

    private List<Ec2XmlNode> plainVolume(Draft d, Ec2SnapshotRecord source) {
        Ec2VolumeRecord r = record(d, source == null ? null : source.snapshotId(), false, null, null, null, null, false);
        return createNow(r, () -> {
            if (source == null) {
                ctx.engine.createVolume(r.volumeId(), Ec2Context.bytes(r.sizeGiB()), r.blockSizeBytes(), Optional.empty());
            } else {
                ctx.engine.createVolumeFromSnapshot(r.volumeId(), source.snapshotId(), Ec2Context.bytes(r.sizeGiB()));
            }
        });
    }

    /** Same key as the snapshot: the same data key and binding, the snapshot's blocks shared, no KMS call. */
    private List<Ec2XmlNode> sharedKeyVolume(Draft d, Ec2SnapshotRecord source) {
        Ec2VolumeRecord r = record(d, source.snapshotId(), true, source.kmsKeyArn(), source.encryptedDataKey(),
                source.dataKeyId(), source.bindingId(), false);
        return createNow(r, () -> ctx.engine.createVolumeFromSnapshot(r.volumeId(), source.snapshotId(),
                Ec2Context.bytes(r.sizeGiB())));
    }

    private List<Ec2XmlNode> newEncryptedVolume(Draft d, String keyArn) {
        byte[] edk = ctx.keys.newDataKey(d.request().requester(), keyArn, d.volumeId());
        Ec2VolumeRecord r = record(d, null, true, keyArn, edk, ctx.ids.newDataKeyId(), d.volumeId(), false);
        return createNow(r, () -> ctx.engine.createVolume(r.volumeId(), Ec2Context.bytes(r.sizeGiB()), r.blockSizeBytes(),
                Optional.of(r.volumeId())));
    }

    /** Stores the volume as creating, makes it in the engine, then makes it available; answers "creating", as EC2. */
    private List<Ec2XmlNode> createNow(Ec2VolumeRecord creating, Runnable make) {
        synchronized (ctx.lock) {
            ctx.records.put(creating);
        }
        try {
            make.run();
        } catch (RuntimeException e) {
            synchronized (ctx.lock) {
                ctx.records.deleteVolume(creating.volumeId());
            }
            throw e;
        }
        synchronized (ctx.lock) {
            ctx.records.put(creating.withState("available"));
        }
        return Ec2Shapes.volume(creating);
    }

    /**
     * A new data key under {@code keyArn} (context: the new volume id) and the snapshot's blocks
     * re-coded into the volume in the background. Both keys are unsealed now, so that a KMS refusal
     * is this request's error; the grants are retired when the copy ends.
     */
    private List<Ec2XmlNode> recodedVolume(Draft d, Ec2SnapshotRecord source, String keyArn) {
        String requester = d.request().requester();
        byte[] edk = ctx.keys.newDataKey(requester, keyArn, d.volumeId());
        Ec2VolumeRecord r = record(d, source.snapshotId(), true, keyArn, edk, ctx.ids.newDataKeyId(), d.volumeId(), true);
        Ec2Keys.Unsealed from = null;
        Ec2Keys.Unsealed to = null;
        try {
            from = source.encrypted() ? ctx.keys.unseal(requester, source.kmsKeyArn(), source.encryptedDataKey(),
                    source.bindingId(), source.blockSizeBytes()) : null;
            to = ctx.keys.unseal(requester, keyArn, edk, d.volumeId(), r.blockSizeBytes());
            synchronized (ctx.lock) {
                ctx.records.put(r);
            }
            Ec2Keys.Unsealed fromKey = from;
            Ec2Keys.Unsealed toKey = to;
            ctx.background.execute(() -> copy(r, source, fromKey, toKey));
            return Ec2Shapes.volume(r);
        } catch (RejectedExecutionException e) {
            synchronized (ctx.lock) {
                ctx.records.deleteVolume(r.volumeId());
            }
            ctx.keys.release(from);
            ctx.keys.release(to);
            throw new Ec2Exception(Ec2Error.REQUEST_LIMIT_EXCEEDED, "Too many volume and snapshot copies are in progress; try again later.");
        } catch (RuntimeException e) {
            ctx.keys.release(from);
            ctx.keys.release(to);
            throw e;
        }
    }

    private void copy(Ec2VolumeRecord r, Ec2SnapshotRecord source, Ec2Keys.Unsealed from, Ec2Keys.Unsealed to) {
        String outcome = "error";
        try {
            BlockCodec sourceCodec = from == null ? BlockCodec.plaintext() : from.codec(source.bindingId());
            ctx.engine.copySnapshotToVolume(source.snapshotId(), sourceCodec, r.volumeId(), Ec2Context.bytes(r.sizeGiB()),
                    Optional.of(r.bindingId()), to.codec(r.bindingId()), percent -> { });
            outcome = "available";
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, () -> "creating " + r.volumeId() + " from " + source.snapshotId() + " failed", e);
        } finally {
            ctx.keys.release(from);
            ctx.keys.release(to);
            String state = outcome;
            try {
                synchronized (ctx.lock) {
                    if (!ctx.closed) {
                        ctx.records.volume(r.volumeId()).ifPresent(v -> ctx.records.put(v.withCopyDone(state)));
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "could not record the end of creating " + r.volumeId() + ": " + e.getMessage());
            }
        }
    }

    List<Ec2XmlNode> describeVolumes(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        List<String> ids = p.list("VolumeId").stream().map(Ec2Ids::volumeId).toList();
        List<Ec2Filter> filters = p.filters();
        Ec2Filter.checkNames(filters, n -> VOLUME_FILTERS.contains(n) || n.startsWith("tag:"));
        int maxResults = Ec2Page.maxResults(p, 5, 500, true, !ids.isEmpty(), "volumeSet");
        Optional<String> token = p.string("NextToken").filter(s -> !s.isEmpty());
        request.authorize("*");
        List<Ec2VolumeRecord> volumes = ctx.records.volumes().stream()
                .filter(v -> v.ownerId().equals(request.accountId())).toList();
        if (!ids.isEmpty()) {
            List<String> missing = new ArrayList<>();
            List<Ec2VolumeRecord> selected = new ArrayList<>();
            for (String id : ids.stream().distinct().sorted().toList()) {
                volumes.stream().filter(v -> v.volumeId().equals(id)).findFirst()
                        .ifPresentOrElse(selected::add, () -> missing.add(id));
            }
            if (!missing.isEmpty()) {
                throw new Ec2Exception(Ec2Error.INVALID_VOLUME_NOT_FOUND, missing.size() == 1
                        ? "The volume '" + missing.getFirst() + "' does not exist."
                        : "The volumes '" + String.join(", ", missing) + "' do not exist.");
            }
            volumes = selected;
        }
        volumes = Ec2Filter.apply(filters, volumes, VolumeOperations::filterValues);
        Ec2Page<Ec2VolumeRecord> page = Ec2Page.of(volumes, Ec2VolumeRecord::volumeId, token, maxResults);
        List<Ec2XmlNode> out = new ArrayList<>();
        out.add(Ec2XmlNode.items("volumeSet", page.items().stream().map(Ec2Shapes::volume).toList()));
        page.nextToken().ifPresent(t -> out.add(Ec2XmlNode.text("nextToken", t)));
        return out;
    }

    static List<String> filterValues(Ec2VolumeRecord v, String name) {
        Ec2Attachment a = v.attachment();
        if (name.startsWith("tag:")) {
            String key = name.substring(4);
            return v.tags().stream().filter(t -> t.key().equals(key)).map(Ec2Tag::value).toList();
        }
        return switch (name) {
            case "volume-id" -> List.of(v.volumeId());
            case "status" -> List.of(v.state());
            case "size" -> List.of(String.valueOf(v.sizeGiB()));
            case "encrypted" -> List.of(String.valueOf(v.encrypted()));
            case "snapshot-id" -> v.snapshotId() == null ? List.of() : List.of(v.snapshotId());
            case "availability-zone" -> List.of(v.availabilityZone());
            case "volume-type" -> List.of(v.volumeType());
            case "kms-key-id" -> v.encrypted() ? List.of(v.kmsKeyArn()) : List.of();
            case "attachment.instance-id" -> a == null ? List.of() : List.of(a.instanceId());
            case "attachment.status" -> a == null ? List.of() : List.of(a.state());
            case "attachment.device" -> a == null ? List.of() : List.of(a.device());
            case "attachment.volume-id" -> a == null ? List.of() : List.of(v.volumeId());
            case "tag-key" -> v.tags().stream().map(Ec2Tag::key).toList();
            default -> null;
        };
    }

    /**
     * Deletes an available (or failed) volume. A volume that is attached is refused with
     * IncorrectState, which the acceptance tests of Coffer's volume work require; AWS itself answers
     * that case with VolumeInUse.
     */
    List<Ec2XmlNode> deleteVolume(Ec2Request request) {
        String volumeId = Ec2Ids.volumeId(request.parameters().required("VolumeId"));
        request.authorize(request.volumeArn(volumeId));
        Ec2VolumeRecord v;
        synchronized (ctx.lock) {
            v = ctx.records.existingVolume(volumeId);
            if (v.attachment() != null || !(v.state().equals("available") || v.state().equals("error"))) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE,
                        "The volume '" + volumeId + "' is in the '" + v.state() + "' state.");
            }
            ctx.records.put(v.withState("deleting"));
        }
        try {
            if (ctx.engine.exists(volumeId)) {
                ctx.engine.deleteVolume(volumeId);
            }
        } catch (RuntimeException e) {
            synchronized (ctx.lock) {
                ctx.records.put(v);
            }
            throw e;
        }
        synchronized (ctx.lock) {
            ctx.records.deleteVolume(volumeId);
        }
        return List.of(Ec2XmlNode.bool("return", true));
    }

    /** Grows a volume (online or not) and records type and performance changes; shrinking is refused. */
    List<Ec2XmlNode> modifyVolume(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String volumeId = Ec2Ids.volumeId(p.required("VolumeId"));
        Optional<Integer> size = p.integer("Size");
        Optional<Ec2VolumeType> newType = p.string("VolumeType").map(Ec2VolumeType::of);
        Optional<Integer> iops = p.integer("Iops");
        Optional<Integer> throughput = p.integer("Throughput");
        if (p.flag("MultiAttachEnabled")) {
            throw new Ec2Exception(Ec2Error.UNSUPPORTED_OPERATION, "Coffer volumes do not support Multi-Attach.");
        }
        request.authorize(request.volumeArn(volumeId));
        synchronized (ctx.lock) {
            Ec2VolumeRecord v = ctx.records.existingVolume(volumeId);
            if (!v.state().equals("available") && !v.state().equals("in-use")) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "The volume '" + volumeId + "' is in the '" + v.state() + "' state.");
            }
            int targetSize = size.orElse(v.sizeGiB());
            if (targetSize < v.sizeGiB()) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "New size cannot be smaller than existing size");
            }
            Ec2VolumeType type = newType.orElse(Ec2VolumeType.of(v.volumeType()));
            boolean typeChanged = !type.wireName().equals(v.volumeType());
            Ec2VolumeType.Performance perf = type.check(targetSize,
                    iops.or(() -> typeChanged || v.iops() == null || type == Ec2VolumeType.GP2 ? Optional.empty() : Optional.of(v.iops())),
                    throughput.or(() -> typeChanged || v.throughput() == null ? Optional.empty() : Optional.of(v.throughput())));
            if (targetSize > v.sizeGiB()) {
                ctx.engine.resizeVolume(volumeId, Ec2Context.bytes(targetSize));
            }
            ctx.records.put(v.withModification(targetSize, type.wireName(), perf.iops(), perf.throughput()));
            List<Ec2XmlNode> m = new ArrayList<>();
            m.add(Ec2XmlNode.text("volumeId", volumeId));
            m.add(Ec2XmlNode.text("modificationState", "completed"));
            m.add(Ec2XmlNode.number("targetSize", targetSize));
            if (perf.iops() != null) {
                m.add(Ec2XmlNode.number("targetIops", perf.iops()));
            }
            m.add(Ec2XmlNode.text("targetVolumeType", type.wireName()));
            if (perf.throughput() != null) {
                m.add(Ec2XmlNode.number("targetThroughput", perf.throughput()));
            }
            m.add(Ec2XmlNode.number("originalSize", v.sizeGiB()));
            if (v.iops() != null) {
                m.add(Ec2XmlNode.number("originalIops", v.iops()));
            }
            m.add(Ec2XmlNode.text("originalVolumeType", v.volumeType()));
            if (v.throughput() != null) {
                m.add(Ec2XmlNode.number("originalThroughput", v.throughput()));
            }
            m.add(Ec2XmlNode.number("progress", 100));
            m.add(Ec2XmlNode.date("startTime", ctx.now()));
            m.add(Ec2XmlNode.date("endTime", ctx.now()));
            return List.of(Ec2XmlNode.element("volumeModification", m));
        }
    }
}

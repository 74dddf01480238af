package dev.coffer.blockstore.ec2;

import java.lang.System.Logger.Level;

/**
 * What {@link Ec2Service#open} does with the records a previous run left: work a restart
 * interrupted is finished when the engine shows it was done (a volume made or a snapshot taken
 * just before the crash) and marked {@code error} otherwise; re-coding copies cannot be resumed
 * (their keys were unsealed for a requester who is gone) and are marked {@code error} with what
 * the engine had of them deleted. Attachments: an {@code attached} volume is re-published,
 * unsealing its key under the grant stored with it ({@code decryptUnderGrant}); a half-made
 * attachment or detachment is undone, retiring its grant, and leaves the volume available.
 */
final class Ec2Recovery {
    private static final System.Logger LOG = System.getLogger(Ec2Recovery.class.getName());

    private final Ec2Context ctx;
    private final AttachmentOperations attachments;

    Ec2Recovery(Ec2Context ctx, AttachmentOperations attachments) {
        this.ctx = ctx;
        this.attachments = attachments;
    }

    void recover() {
        for (Ec2SnapshotRecord s : ctx.records.snapshots()) {
            if (s.state().equals("pending")) {
                recoverSnapshot(s);
            }
        }
        for (Ec2VolumeRecord v : ctx.records.volumes()) {
            switch (v.state()) {
                case "creating" -> recoverCreating(v);
                case "deleting" -> finishDelete(v);
                default -> {
                    if (v.attachment() != null) {
                        recoverAttachment(v);
                    }
                }
            }
        }
    }

    private void recoverSnapshot(Ec2SnapshotRecord s) {
        if (s.sourceSnapshotId() == null && ctx.engine.exists(s.snapshotId())) {
            ctx.records.put(s.withProgress("completed", 100, ctx.now(), null));
            return;
        }
        deleteQuietly(s.snapshotId(), true);
        ctx.records.put(s.withProgress("error", s.progress(), ctx.now(), "The snapshot copy was interrupted by a restart."));
        LOG.log(Level.WARNING, () -> "snapshot " + s.snapshotId() + " was interrupted by a restart and is marked failed");
    }

    private void recoverCreating(Ec2VolumeRecord v) {
        if (!v.copying() && ctx.engine.exists(v.volumeId())) {
            ctx.records.put(v.withState("available"));
            return;
        }
        deleteQuietly(v.volumeId(), false);
        ctx.records.put(v.withCopyDone("error"));
        LOG.log(Level.WARNING, () -> "volume " + v.volumeId() + " was interrupted by a restart while being created and is marked failed");
    }

    private void finishDelete(Ec2VolumeRecord v) {
        deleteQuietly(v.volumeId(), false);
        ctx.records.deleteVolume(v.volumeId());
    }

    private void recoverAttachment(Ec2VolumeRecord v) {
        Ec2Attachment a = v.attachment();
        if (!a.state().equals("attached")) {
            ctx.keys.retire(v.kmsKeyArn(), a.grantId());
            ctx.records.put(v.withAttachment("available", null));
            return;
        }
        Ec2Keys.Unsealed unsealed = null;
        try {
            if (v.encrypted()) {
                unsealed = ctx.keys.unsealUnderGrant(v.kmsKeyArn(), a.grantId(), v.encryptedDataKey(), v.bindingId(),
                        v.blockSizeBytes());
            }
            attachments.publish(v, a, unsealed);
        } catch (RuntimeException e) {
            if (unsealed != null) {
                unsealed.cipher().close();
            }
            // Stays recorded as attached, so DetachVolume can still end it and retire the grant.
            LOG.log(Level.ERROR, () -> "could not re-publish attached volume " + v.volumeId() + ": " + e.getMessage());
        }
    }

    private void deleteQuietly(String id, boolean snapshot) {
        try {
            if (ctx.engine.exists(id)) {
                if (snapshot) {
                    ctx.engine.deleteSnapshot(id);
                } else {
                    ctx.engine.deleteVolume(id);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not delete what the engine had of " + id + ": " + e.getMessage());
        }
    }
}

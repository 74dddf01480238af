package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.engine.VolumeDevice;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * AttachVolume and DetachVolume: attaching opens the volume and publishes it on the NBD export
 * table under its volume id; the "instance" is whatever client the caller names, which then
 * connects over NBD. An encrypted volume's data key is unsealed as EBS does at attach: the requester
 * creates a grant for this volume's encryption context and the service decrypts under it; the key
 * lives on only inside the block cipher, and the grant id is stored with the attachment so that a
 * restart can re-publish the volume and detach can retire the grant.
 */
final class AttachmentOperations {
    private static final System.Logger LOG = System.getLogger(AttachmentOperations.class.getName());
    private static final Pattern DEVICE = Pattern.compile("(/dev/)?[a-z][a-z0-9]{1,15}");

    private final Ec2Context ctx;

    AttachmentOperations(Ec2Context ctx) {
        this.ctx = ctx;
    }

    List<Ec2XmlNode> attachVolume(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String volumeId = Ec2Ids.volumeId(p.required("VolumeId"));
        String instanceId = Ec2Ids.instanceId(p.required("InstanceId"));
        String device = p.required("Device");
        if (!DEVICE.matcher(device).matches()) {
            throw Ec2Parameters.invalid("device", device, device + " is not a valid EBS device name.");
        }
        request.authorize(request.volumeArn(volumeId), request.instanceArn(instanceId));
        Ec2VolumeRecord v;
        Ec2Attachment attaching = new Ec2Attachment(instanceId, device, "attaching", ctx.now(), null);
        synchronized (ctx.lock) {
            v = ctx.records.existingVolume(volumeId);
            if (v.attachment() != null || v.state().equals("in-use")) {
                throw new Ec2Exception(Ec2Error.VOLUME_IN_USE, volumeId + " is already attached to an instance");
            }
            if (!v.state().equals("available")) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "The volume '" + volumeId + "' is in the '" + v.state() + "' state.");
            }
            ctx.records.put(v.withAttachment("in-use", attaching));
        }
        Ec2Keys.Unsealed unsealed = null;
        VolumeDevice opened = null;
        try {
            if (v.encrypted()) {
                unsealed = ctx.keys.unseal(request.requester(), v.kmsKeyArn(), v.encryptedDataKey(), v.bindingId(),
                        v.blockSizeBytes());
                Ec2Attachment withGrant = attaching.withGrantId(unsealed.grantId());
                synchronized (ctx.lock) {
                    ctx.records.put(v.withAttachment("in-use", withGrant));
                }
                attaching = withGrant;
            }
            opened = publish(v, attaching, unsealed);
            synchronized (ctx.lock) {
                ctx.records.put(v.withAttachment("in-use", attaching.withState("attached")));
            }
        } catch (RuntimeException e) {
            if (opened != null) {
                ctx.open.remove(volumeId);
                ctx.exports.withdraw(volumeId);
                closeQuietly(opened);
            }
            ctx.keys.release(unsealed);
            synchronized (ctx.lock) {
                ctx.records.put(v.withAttachment("available", null));
            }
            throw e;
        }
        return Ec2Shapes.attachment(volumeId, attaching, "attaching");
    }

    /** Opens the volume with its codec and publishes it; {@code unsealed} is null for a plaintext volume. */
    VolumeDevice publish(Ec2VolumeRecord v, Ec2Attachment attachment, Ec2Keys.Unsealed unsealed) {
        BlockCodec codec = unsealed == null ? BlockCodec.plaintext() : unsealed.codec(v.bindingId());
        VolumeDevice device = ctx.engine.open(v.volumeId(), codec);
        try {
            ctx.exports.publish(v.volumeId(), v.volumeId() + " (" + v.sizeGiB() + " GiB, "
                    + (v.encrypted() ? "encrypted" : "not encrypted") + ", attached to " + attachment.instanceId()
                    + " as " + attachment.device() + ")", device);
        } catch (RuntimeException e) {
            closeQuietly(device);
            throw e;
        }
        ctx.open.put(v.volumeId(), new Ec2Context.OpenVolume(device, unsealed));
        return device;
    }

    List<Ec2XmlNode> detachVolume(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        String volumeId = Ec2Ids.volumeId(p.required("VolumeId"));
        Optional<String> instanceId = p.string("InstanceId").filter(s -> !s.isEmpty()).map(Ec2Ids::instanceId);
        Optional<String> device = p.string("Device").filter(s -> !s.isEmpty());
        boolean force = p.flag("Force");
        if (instanceId.isPresent()) {
            request.authorize(request.volumeArn(volumeId), request.instanceArn(instanceId.get()));
        } else {
            request.authorize(request.volumeArn(volumeId));
        }
        Ec2VolumeRecord v;
        Ec2Attachment a;
        synchronized (ctx.lock) {
            v = ctx.records.existingVolume(volumeId);
            a = v.attachment();
            if (a == null) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "Volume '" + volumeId + "' is in the '" + v.state() + "' state.");
            }
            if (instanceId.isPresent() && !instanceId.get().equals(a.instanceId())
                    || device.isPresent() && !device.get().equals(a.device())) {
                throw new Ec2Exception(Ec2Error.INVALID_ATTACHMENT_NOT_FOUND, "Volume '" + volumeId + "' is not attached to '"
                        + instanceId.orElse(a.instanceId()) + "' as '" + device.orElse(a.device()) + "'.");
            }
            if (!a.state().equals("attached")) {
                throw new Ec2Exception(Ec2Error.INCORRECT_STATE, "Volume '" + volumeId + "' is '" + a.state() + "'.");
            }
            ctx.records.put(v.withAttachment("in-use", a.withState("detaching")));
        }
        withdrawAndClose(volumeId, force);
        ctx.keys.retire(v.kmsKeyArn(), a.grantId());
        synchronized (ctx.lock) {
            ctx.records.put(ctx.records.existingVolume(volumeId).withAttachment("available", null));
        }
        return Ec2Shapes.attachment(volumeId, a, "detaching");
    }

    /**
     * Withdraws the export (which ends the NBD connections once their in-flight requests are
     * answered), then flushes and closes the device and destroys the cipher. Without Force, waits up
     * to the configured detach timeout; either way the device is closed after, and requests still
     * running then fail with ESHUTDOWN.
     */
    void withdrawAndClose(String volumeId, boolean force) {
        Ec2Context.OpenVolume open = ctx.open.remove(volumeId);
        try {
            ctx.exports.withdraw(volumeId).get(force ? 0 : ctx.config.detachTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, () -> "NBD connections to " + volumeId + " did not finish in time; closing the volume under them");
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, () -> "withdrawing " + volumeId + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (open != null) {
            closeQuietly(open.device());
            if (open.unsealed() != null) {
                open.unsealed().cipher().close();
            }
        }
    }

    private static void closeQuietly(VolumeDevice device) {
        try {
            device.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "closing " + device.volumeId() + " failed: " + e.getMessage());
        }
    }
}

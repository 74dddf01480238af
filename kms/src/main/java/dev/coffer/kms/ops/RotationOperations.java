package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.KeyMaterial;
import dev.coffer.kms.core.KeyState;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Enable/DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations, and the
 * rotation itself (new material in the HSM; the key id never changes; old material stays to decrypt).
 */
public final class RotationOperations {
    public static final int MIN_PERIOD_DAYS = 90;
    public static final int MAX_PERIOD_DAYS = 2560;
    public static final int DEFAULT_PERIOD_DAYS = 365;
    /** The on-demand rotation quota per key in the API reference (the newest guide says 25). */
    public static final int MAX_ON_DEMAND_ROTATIONS = 10;

    private final KmsContext ctx;
    private final KeyOperations keys;

    public RotationOperations(KmsContext ctx, KeyOperations keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    public ObjectNode enableKeyRotation(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        int period = req.optionalInt("RotationPeriodInDays", MIN_PERIOD_DAYS, MAX_PERIOD_DAYS).orElse(DEFAULT_PERIOD_DAYS);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.EnableKeyRotation.action(), key, Map.of(), List.of(),
                Map.of("kms:RotationPeriodInDays", List.of(String.valueOf(period))));
        requireRotatable(key, KmsOperation.EnableKeyRotation);
        ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            ctx.store().putKey(current.toBuilder().rotationEnabled(true).rotationPeriodInDays(period)
                    .nextRotationDate(ctx.clock().instant().plus(Duration.ofDays(period))).build());
            return null;
        });
        return ctx.object();
    }

    public ObjectNode disableKeyRotation(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.DisableKeyRotation.action(), key, Map.of(), List.of());
        requireRotatable(key, KmsOperation.DisableKeyRotation);
        ctx.withKeyLock(key.keyId(), () -> {
            ctx.store().putKey(ctx.reload(key).toBuilder().rotationEnabled(false).nextRotationDate(null).build());
            return null;
        });
        return ctx.object();
    }

    public ObjectNode getKeyRotationStatus(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.GetKeyRotationStatus.action(), key, Map.of(), List.of());
        if (key.isExternal()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, key.arn() + " origin is EXTERNAL which is not valid for this operation.");
        }
        ObjectNode out = ctx.object();
        out.put("KeyRotationEnabled", key.rotationEnabled());
        out.put("KeyId", key.arn());
        if (key.rotationEnabled()) {
            out.put("RotationPeriodInDays", key.rotationPeriodInDays());
            out.put("NextRotationDate", KmsContext.epochSeconds(key.nextRotationDate()));
        }
        return out;
    }

    public ObjectNode rotateKeyOnDemand(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.RotateKeyOnDemand.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.RotateKeyOnDemand);
        if (key.isExternal()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION,
                    key.arn() + " origin is EXTERNAL; on-demand rotation of imported key material is not supported by Coffer KMS.");
        }
        ctx.requireUsableForEncryption(key);
        KmsKey rotated = ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            if (current.onDemandRotations() >= MAX_ON_DEMAND_ROTATIONS) {
                throw new KmsException(KmsError.LIMIT_EXCEEDED, "The on-demand rotation quota of " + MAX_ON_DEMAND_ROTATIONS
                        + " rotations for " + current.arn() + " has been reached.");
            }
            return rotate(current, "ON_DEMAND");
        });
        trace.additional("keyMaterialId", rotated.currentMaterial().materialId());
        return ctx.object().put("KeyId", key.arn());
    }

    public ObjectNode listKeyRotations(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        int limit = req.optionalInt("Limit", 1, 1000).orElse(100);
        String include = req.optionalEnum("IncludeKeyMaterial", Set.of("ALL_KEY_MATERIAL", "ROTATIONS_ONLY")).orElse("ROTATIONS_ONLY");
        int start = req.positionMarker();
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ListKeyRotations.action(), key, Map.of(), List.of());
        List<KeyMaterial> listed = key.materials().stream()
                .filter(m -> include.equals("ALL_KEY_MATERIAL") || m.rotationType() != null).toList();
        ObjectNode out = ctx.object();
        ArrayNode rotations = out.putArray("Rotations");
        int end = Math.min(listed.size(), start + limit);
        for (KeyMaterial m : listed.subList(Math.min(start, listed.size()), end)) {
            ObjectNode r = rotations.addObject();
            r.put("KeyId", key.keyId());
            r.put("KeyMaterialId", m.materialId());
            r.put("KeyMaterialState", m == key.currentMaterial() ? "CURRENT" : "NON_CURRENT");
            if (m.rotationType() != null) {
                r.put("RotationDate", KmsContext.epochSeconds(m.createdAt()));
                r.put("RotationType", m.rotationType());
            }
            if (m.imported()) {
                r.put("ImportState", m.present() ? "IMPORTED" : "PENDING_IMPORT");
            }
        }
        out.put("Truncated", end < listed.size());
        if (end < listed.size()) {
            out.put("NextMarker", String.valueOf(end));
        }
        return out;
    }

    /**
     * Adds a new material version (generated in the HSM); the key id, policy and aliases stay. The
     * automatic schedule is not reset by on-demand rotation, as AWS behaves.
     */
    public KmsKey rotate(KmsKey current, String rotationType) {
        Instant now = ctx.clock().instant();
        KeyMaterial material = keys.newMaterial(current.keyId(), current.currentMaterial().version() + 1, now, rotationType);
        KmsKey.Builder next = current.toBuilder().addMaterial(material);
        if (rotationType.equals("ON_DEMAND")) {
            next.onDemandRotations(current.onDemandRotations() + 1);
        } else {
            next.nextRotationDate(current.nextRotationDate().plus(Duration.ofDays(current.rotationPeriodInDays())));
        }
        KmsKey rotated = next.build();
        ctx.store().putKey(rotated);
        return rotated;
    }

    private void requireRotatable(KmsKey key, KmsOperation op) {
        ctx.requireCustomerManaged(key, op);
        if (key.isExternal()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, key.arn() + " origin is EXTERNAL which is not valid for this operation.");
        }
        if (key.keyState() == KeyState.Disabled) {
            throw new KmsException(KmsError.DISABLED, key.arn() + " is disabled.");
        }
        ctx.requireNotPendingDeletion(key);
    }
}

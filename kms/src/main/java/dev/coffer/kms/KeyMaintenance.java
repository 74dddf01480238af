package dev.coffer.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.core.KeyMaterial;
import dev.coffer.kms.core.KeyState;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.ops.ImportOperations;
import dev.coffer.kms.ops.RotationOperations;
import java.time.Instant;

/**
 * What happens to keys with time, each an audited service event: keys whose deletion window passed
 * are deleted with their material (DeleteKey); keys due for automatic rotation get new material
 * (RotateKey); imported material past its ValidTo is destroyed, leaving the key PendingImport
 * (DeleteExpiredKeyMaterial). {@link #run()} is idempotent; the gateway calls it every minute and
 * tests call it after moving the clock.
 */
public final class KeyMaintenance {
    private final KmsContext ctx;
    private final RotationOperations rotation;
    private final ImportOperations imports;
    private final KmsAuditor auditor;

    KeyMaintenance(KmsContext ctx, RotationOperations rotation, ImportOperations imports, KmsAuditor auditor) {
        this.ctx = ctx;
        this.rotation = rotation;
        this.imports = imports;
        this.auditor = auditor;
    }

    /** Applies every due event; returns how many happened. */
    public int run() {
        int events = 0;
        Instant now = ctx.clock().instant();
        for (KmsKey key : ctx.store().allKeys()) {
            if (key.keyState() == KeyState.PendingDeletion && key.deletionDate() != null && !key.deletionDate().isAfter(now)) {
                events += ctx.withKeyLock(key.keyId(), () -> delete(ctx.reload(key)));
                continue;
            }
            if (key.rotationEnabled() && key.nextRotationDate() != null && !key.nextRotationDate().isAfter(now)
                    && key.keyState() == KeyState.Enabled) {
                events += ctx.withKeyLock(key.keyId(), () -> rotateWhileDue(ctx.reload(key), now));
            }
            KeyMaterial current = key.currentMaterial();
            if (key.isExternal() && current != null && current.present() && current.validTo() != null
                    && !current.validTo().isAfter(now)) {
                events += ctx.withKeyLock(key.keyId(), () -> {
                    KmsKey expired = imports.removeMaterial(ctx.reload(key));
                    auditor.serviceEvent("DeleteExpiredKeyMaterial", expired, null);
                    return 1;
                });
            }
        }
        return events;
    }

    private int delete(KmsKey key) {
        for (KeyMaterial m : key.materials()) {
            ctx.hsm().destroyKey(m.hsmLabel());
        }
        ctx.store().deleteKey(key.keyId());
        auditor.serviceEvent("DeleteKey", key, null);
        return 1;
    }

    /** Catches up every rotation that fell due (a gateway that was down for two periods rotates twice). */
    private int rotateWhileDue(KmsKey key, Instant now) {
        int n = 0;
        KmsKey current = key;
        while (current.rotationEnabled() && current.nextRotationDate() != null && !current.nextRotationDate().isAfter(now)) {
            current = rotation.rotate(current, "AUTOMATIC");
            ObjectNode data = ctx.object().put("keyMaterialId", current.currentMaterial().materialId());
            auditor.serviceEvent("RotateKey", current, data);
            n++;
        }
        return n;
    }
}

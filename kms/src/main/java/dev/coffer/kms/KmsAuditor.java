package dev.coffer.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.ops.Trace;

/**
 * Where the KMS reports every call and service event for the audit trail. The core does the
 * auditing (handlers never do); the gateway wires this to the CloudTrail-format trail.
 */
public interface KmsAuditor {
    /**
     * One authenticated API call, allowed or not.
     *
     * @param requestParameters the request without secrets (CloudTrail's requestParameters)
     * @param responseElements the response without secrets, or null (crypto operations)
     * @param error the error, or null on success
     */
    void apiCall(KmsCall call, String eventName, boolean readOnly, ObjectNode requestParameters, ObjectNode responseElements,
                 Trace trace, KmsError error, String errorMessage);

    /** A service event on a key: RotateKey, DeleteKey, DeleteExpiredKeyMaterial. */
    void serviceEvent(String eventName, KmsKey key, ObjectNode additionalEventData);
}

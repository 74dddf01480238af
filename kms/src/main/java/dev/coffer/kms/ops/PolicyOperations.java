package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.util.List;
import java.util.Map;

/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies: every key has exactly one policy, named "default". */
public final class PolicyOperations {
    private static final String POLICY_NAME = "default";

    private final KmsContext ctx;

    public PolicyOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode getKeyPolicy(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String name = policyName(req);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.GetKeyPolicy.action(), key, Map.of(), List.of());
        return ctx.object().put("Policy", key.policy()).put("PolicyName", name);
    }

    public ObjectNode putKeyPolicy(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        policyName(req);
        String policy = req.requiredString("Policy", 1, KeyOperations.MAX_POLICY_BYTES);
        boolean bypass = req.optionalBoolean("BypassPolicyLockoutSafetyCheck").orElse(false);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.PutKeyPolicy.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.PutKeyPolicy);
        ctx.requireNotPendingDeletion(key);
        ctx.authorizer().validateKeyPolicy(policy, call, bypass);
        ctx.withKeyLock(key.keyId(), () -> {
            ctx.store().putKey(ctx.reload(key).toBuilder().policy(policy).build());
            return null;
        });
        return ctx.object();
    }

    public ObjectNode listKeyPolicies(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        req.optionalInt("Limit", 1, 1000);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ListKeyPolicies.action(), key, Map.of(), List.of());
        ObjectNode out = ctx.object();
        out.putArray("PolicyNames").add(POLICY_NAME);
        out.put("Truncated", false);
        return out;
    }

    private static String policyName(KmsRequest req) {
        String name = req.optionalString("PolicyName", 1, 128).orElse(POLICY_NAME);
        if (!name.equals(POLICY_NAME)) {
            throw new KmsException(KmsError.NOT_FOUND, "No such policy exists: " + name);
        }
        return name;
    }
}

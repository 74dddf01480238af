package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.GrantTokens;
import dev.coffer.kms.core.KmsGrant;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * CreateGrant, ListGrants, RetireGrant, RevokeGrant, ListRetirableGrants. Coffer's grants are
 * strongly consistent: a new grant works at once, with or without its grant token; grant tokens are
 * still validated (an unknown token is InvalidGrantTokenException), as AWS does.
 */
public final class GrantOperations {
    public static final Set<String> GRANT_OPERATIONS = Set.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
            "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac", "VerifyMac", "DeriveSharedSecret");
    public static final int MAX_GRANTS_PER_KEY = 50_000;

    private final KmsContext ctx;

    public GrantOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode createGrant(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String grantee = req.requiredString("GranteePrincipal", 1, 256);
        String retiring = req.optionalString("RetiringPrincipal", 1, 256).orElse(null);
        String name = req.optionalString("Name", 1, 256).orElse(null);
        List<String> operations = req.stringList("Operations");
        if (operations.isEmpty()) {
            throw KmsRequest.invalid("Operations", "[]", "Member must have length greater than or equal to 1");
        }
        for (String op : operations) {
            if (!GRANT_OPERATIONS.contains(op)) {
                throw KmsRequest.invalid("Operations", op, "Member must satisfy enum value set: " + GRANT_OPERATIONS);
            }
        }
        Map<String, String> subset = null;
        Map<String, String> equals = null;
        JsonNode constraints = req.raw("Constraints");
        if (constraints != null && !constraints.isNull()) {
            KmsRequest c = new KmsRequest((ObjectNode) constraints);
            subset = c.has("EncryptionContextSubset") ? c.stringMap("EncryptionContextSubset") : null;
            equals = c.has("EncryptionContextEquals") ? c.stringMap("EncryptionContextEquals") : null;
        }
        List<String> grantTokens = req.stringList("GrantTokens");
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.CreateGrant.action(), key, Map.of(), grantTokens, Map.of(
                "kms:GrantOperations", operations,
                "kms:GranteePrincipal", List.of(grantee),
                "kms:GrantIsForAWSResource", List.of(String.valueOf(call.viaService() != null))));
        ctx.requireNotPendingDeletion(key);
        if (operations.stream().anyMatch(o -> !Set.of("Decrypt", "Encrypt", "GenerateDataKey",
                "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "RetireGrant",
                "DescribeKey").contains(o))) {
            throw new KmsException(KmsError.VALIDATION, "Grant operations " + operations
                    + " include operations that are not valid for a symmetric encryption key.");
        }
        Map<String, String> fSubset = subset;
        Map<String, String> fEquals = equals;
        KmsGrant grant = ctx.withKeyLock(key.keyId(), () -> {
            List<KmsGrant> existing = ctx.store().grants(key.keyId());
            for (KmsGrant g : existing) {
                // A retried CreateGrant with the same name and parameters returns the same grant (AWS idempotency).
                if (name != null && name.equals(g.name()) && g.granteePrincipal().equals(grantee)
                        && Objects.equals(g.retiringPrincipal(), retiring) && g.operations().equals(operations)
                        && Objects.equals(g.encryptionContextSubset(), fSubset) && Objects.equals(g.encryptionContextEquals(), fEquals)) {
                    return g;
                }
            }
            if (existing.size() >= MAX_GRANTS_PER_KEY) {
                throw new KmsException(KmsError.LIMIT_EXCEEDED, "The key has the maximum number of grants.");
            }
            byte[] id = new byte[32];
            ctx.random().nextBytes(id);
            KmsGrant created = new KmsGrant(HexFormat.of().formatHex(id), key.keyId(), name, grantee, retiring,
                    call.principal().account().value(), operations, fSubset, fEquals, ctx.clock().instant(), null);
            ctx.store().putGrant(created);
            return created;
        });
        return ctx.object().put("GrantToken", GrantTokens.issue(grant)).put("GrantId", grant.grantId());
    }

    public ObjectNode listGrants(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String grantId = req.optionalString("GrantId", 1, 128).orElse(null);
        String grantee = req.optionalString("GranteePrincipal", 1, 256).orElse(null);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ListGrants.action(), key, Map.of(), List.of());
        List<KmsGrant> grants = ctx.store().grants(key.keyId()).stream()
                .filter(g -> grantId == null || g.grantId().equals(grantId))
                .filter(g -> grantee == null || g.granteePrincipal().equals(grantee)).toList();
        return page(req, grants);
    }

    public ObjectNode listRetirableGrants(KmsCall call, KmsRequest req, Trace trace) {
        String retiring = req.requiredString("RetiringPrincipal", 1, 256);
        ctx.authorizer().authorizeWithoutKey(call, KmsOperation.ListRetirableGrants, Map.of());
        List<KmsGrant> grants = ctx.store().allGrants().stream().filter(g -> retiring.equals(g.retiringPrincipal())).toList();
        return page(req, grants);
    }

    public ObjectNode retireGrant(KmsCall call, KmsRequest req, Trace trace) {
        KmsGrant grant;
        if (req.has("GrantToken")) {
            grant = GrantTokens.resolve(req.requiredString("GrantToken", 1, 8192), ctx.store());
        } else {
            KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
            String grantId = req.requiredString("GrantId", 1, 128);
            grant = ctx.store().grant(key.keyId(), grantId)
                    .orElseThrow(() -> new KmsException(KmsError.INVALID_GRANT_ID, "Grant ID " + grantId + " is not valid."));
        }
        KmsKey key = ctx.store().key(grant.keyId())
                .orElseThrow(() -> new KmsException(KmsError.NOT_FOUND, "Key '" + grant.keyId() + "' does not exist"));
        trace.key(key);
        // Who may retire (AWS): the retiring principal, the grantee if the grant allows RetireGrant,
        // and the account that created the grant (its root).
        String caller = call.principal().arn();
        boolean allowed = caller.equals(grant.retiringPrincipal())
                || (caller.equals(grant.granteePrincipal()) && grant.operations().contains("RetireGrant"))
                || (call.principal().isRoot() && call.principal().account().value().equals(grant.issuingAccount()));
        if (!allowed) {
            throw new KmsException(KmsError.ACCESS_DENIED, "User: " + caller + " is not authorized to perform: kms:RetireGrant on resource: "
                    + key.arn() + " because the caller is neither the grant's retiring principal nor its grantee with RetireGrant permission");
        }
        ctx.store().deleteGrant(grant.keyId(), grant.grantId());
        return ctx.object();
    }

    public ObjectNode revokeGrant(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String grantId = req.requiredString("GrantId", 1, 128);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.RevokeGrant.action(), key, Map.of(), List.of());
        ctx.store().grant(key.keyId(), grantId)
                .orElseThrow(() -> new KmsException(KmsError.INVALID_GRANT_ID, "Grant ID " + grantId + " is not valid."));
        ctx.store().deleteGrant(key.keyId(), grantId);
        return ctx.object();
    }

    private ObjectNode page(KmsRequest req, List<KmsGrant> grants) {
        int limit = req.optionalInt("Limit", 1, 100).orElse(50);
        int start = req.positionMarker();
        List<KmsGrant> sorted = new ArrayList<>(grants);
        sorted.sort((a, b) -> a.creationDate().compareTo(b.creationDate()) != 0
                ? a.creationDate().compareTo(b.creationDate()) : a.grantId().compareTo(b.grantId()));
        ObjectNode out = ctx.object();
        ArrayNode list = out.putArray("Grants");
        int end = Math.min(sorted.size(), start + limit);
        for (KmsGrant g : sorted.subList(Math.min(start, sorted.size()), end)) {
            ObjectNode n = list.addObject();
            n.put("KeyId", ctx.store().key(g.keyId()).map(KmsKey::arn).orElse(g.keyId()));
            n.put("GrantId", g.grantId());
            if (g.name() != null) {
                n.put("Name", g.name());
            }
            n.put("CreationDate", KmsContext.epochSeconds(g.creationDate()));
            n.put("GranteePrincipal", g.granteePrincipal());
            if (g.retiringPrincipal() != null) {
                n.put("RetiringPrincipal", g.retiringPrincipal());
            }
            n.put("IssuingAccount", "arn:aws:iam::" + g.issuingAccount() + ":root");
            ArrayNode ops = n.putArray("Operations");
            g.operations().forEach(ops::add);
            if (g.encryptionContextSubset() != null || g.encryptionContextEquals() != null) {
                ObjectNode c = n.putObject("Constraints");
                if (g.encryptionContextSubset() != null) {
                    ObjectNode s = c.putObject("EncryptionContextSubset");
                    new LinkedHashMap<>(g.encryptionContextSubset()).forEach(s::put);
                }
                if (g.encryptionContextEquals() != null) {
                    ObjectNode s = c.putObject("EncryptionContextEquals");
                    new LinkedHashMap<>(g.encryptionContextEquals()).forEach(s::put);
                }
            }
        }
        out.put("Truncated", end < sorted.size());
        if (end < sorted.size()) {
            out.put("NextMarker", String.valueOf(end));
        }
        return out;
    }
}

package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.AwsManagedKeys;
import dev.coffer.kms.core.CofferServiceKeys;
import dev.coffer.kms.core.KmsAlias;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** CreateAlias, UpdateAlias, DeleteAlias, ListAliases. */
public final class AliasOperations {
    private static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]+");
    public static final int MAX_ALIASES_PER_KEY = 50;

    private final KmsContext ctx;

    public AliasOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode createAlias(KmsCall call, KmsRequest req, Trace trace) {
        String aliasName = aliasName(req);
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("TargetKeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.CreateAlias.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.CreateAlias);
        ctx.requireNotPendingDeletion(key);
        ctx.withKeyLock("alias:" + aliasName, () -> {
            if (ctx.store().alias(aliasName).isPresent()) {
                throw new KmsException(KmsError.ALREADY_EXISTS,
                        "An alias with the name " + ctx.aliasArn(aliasName) + " already exists");
            }
            if (ctx.store().aliasesOf(key.keyId()).size() >= MAX_ALIASES_PER_KEY) {
                throw new KmsException(KmsError.LIMIT_EXCEEDED, "A key may have at most " + MAX_ALIASES_PER_KEY + " aliases.");
            }
            Instant now = ctx.clock().instant();
            ctx.store().putAlias(new KmsAlias(aliasName, key.keyId(), now, now));
            return null;
        });
        return ctx.object();
    }

    public ObjectNode updateAlias(KmsCall call, KmsRequest req, Trace trace) {
        String aliasName = aliasName(req);
        KmsKey target = ctx.resolver().resolveKeyIdOrArn(req.requiredString("TargetKeyId", 1, 2048));
        trace.key(target);
        ctx.withKeyLock("alias:" + aliasName, () -> {
            KmsAlias alias = ctx.store().alias(aliasName).orElseThrow(() ->
                    new KmsException(KmsError.NOT_FOUND, "Alias " + ctx.aliasArn(aliasName) + " is not found."));
            KmsKey current = ctx.store().key(alias.targetKeyId()).orElse(null);
            if (current != null) {
                trace.key(current);
                ctx.authorizer().authorize(call, KmsOperation.UpdateAlias.action(), current, Map.of(), List.of());
            }
            ctx.authorizer().authorize(call, KmsOperation.UpdateAlias.action(), target, Map.of(), List.of());
            ctx.requireCustomerManaged(target, KmsOperation.UpdateAlias);
            ctx.requireNotPendingDeletion(target);
            ctx.store().putAlias(new KmsAlias(aliasName, target.keyId(), alias.creationDate(), ctx.clock().instant()));
            return null;
        });
        return ctx.object();
    }

    public ObjectNode deleteAlias(KmsCall call, KmsRequest req, Trace trace) {
        String aliasName = aliasName(req);
        ctx.withKeyLock("alias:" + aliasName, () -> {
            KmsAlias alias = ctx.store().alias(aliasName).orElseThrow(() ->
                    new KmsException(KmsError.NOT_FOUND, "Alias " + ctx.aliasArn(aliasName) + " is not found."));
            ctx.store().key(alias.targetKeyId()).ifPresent(key -> {
                trace.key(key);
                ctx.authorizer().authorize(call, KmsOperation.DeleteAlias.action(), key, Map.of(), List.of());
            });
            ctx.store().deleteAlias(aliasName);
            return null;
        });
        return ctx.object();
    }

    public ObjectNode listAliases(KmsCall call, KmsRequest req, Trace trace) {
        int limit = req.optionalInt("Limit", 1, 100).orElse(50);
        String marker = req.optionalString("Marker", 1, 320).orElse(null);
        String keyFilter = null;
        if (req.has("KeyId")) {
            KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
            trace.key(key);
            ctx.authorizer().authorize(call, KmsOperation.ListAliases.action(), key, Map.of(), List.of());
            keyFilter = key.keyId();
        } else {
            ctx.authorizer().authorizeWithoutKey(call, KmsOperation.ListAliases, Map.of());
        }
        List<ObjectNode> all = new ArrayList<>();
        for (KmsAlias a : ctx.store().aliases()) {
            if (keyFilter == null || a.targetKeyId().equals(keyFilter)) {
                ObjectNode n = ctx.object();
                n.put("AliasName", a.aliasName());
                n.put("AliasArn", ctx.aliasArn(a.aliasName()));
                n.put("TargetKeyId", a.targetKeyId());
                n.put("CreationDate", KmsContext.epochSeconds(a.creationDate()));
                n.put("LastUpdatedDate", KmsContext.epochSeconds(a.lastUpdatedDate()));
                all.add(n);
            }
        }
        if (keyFilter == null) {
            // AWS lists the predefined aliases of AWS managed keys even before their keys exist.
            for (String predefined : AwsManagedKeys.ALIASES) {
                if (ctx.store().alias(predefined).isEmpty()) {
                    all.add(ctx.object().put("AliasName", predefined).put("AliasArn", ctx.aliasArn(predefined)));
                }
            }
        }
        all.sort((x, y) -> x.get("AliasName").asText().compareTo(y.get("AliasName").asText()));
        int start = 0;
        if (marker != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).get("AliasName").asText().equals(marker)) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw new KmsException(KmsError.INVALID_MARKER, "Invalid marker");
            }
        }
        ObjectNode out = ctx.object();
        ArrayNode aliases = out.putArray("Aliases");
        int end = Math.min(all.size(), start + limit);
        all.subList(start, end).forEach(aliases::add);
        out.put("Truncated", end < all.size());
        if (end < all.size()) {
            out.put("NextMarker", all.get(end - 1).get("AliasName").asText());
        }
        return out;
    }

    private static String aliasName(KmsRequest req) {
        String aliasName = req.requiredString("AliasName", 1, 256);
        if (!ALIAS_NAME.matcher(aliasName).matches()) {
            throw new KmsException(KmsError.INVALID_ALIAS_NAME,
                    "Alias must start with the prefix \"alias/\" and contain only alphanumeric characters, '/', '_' or '-'.");
        }
        if (AwsManagedKeys.isReserved(aliasName)) {
            throw new KmsException(KmsError.INVALID_ALIAS_NAME, "Alias names starting with \"alias/aws/\" are reserved for AWS managed keys.");
        }
        if (CofferServiceKeys.isReserved(aliasName)) {
            throw new KmsException(KmsError.INVALID_ALIAS_NAME, "Alias names starting with \""
                    + CofferServiceKeys.RESERVED_ALIAS_PREFIX + "\" are reserved for Coffer's service keys.");
        }
        return aliasName;
    }
}

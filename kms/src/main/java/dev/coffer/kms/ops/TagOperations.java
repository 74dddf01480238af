package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource, ListResourceTags. */
public final class TagOperations {
    public static final int MAX_TAGS_PER_KEY = 50;

    private final KmsContext ctx;

    public TagOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode tagResource(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        Map<String, String> tags = req.tags("Tags");
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.TagResource.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.TagResource);
        ctx.requireNotPendingDeletion(key);
        validateTags(tags);
        ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            Map<String, String> merged = new LinkedHashMap<>(current.tags());
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS_PER_KEY) {
                throw new KmsException(KmsError.TAG, "A key may have at most " + MAX_TAGS_PER_KEY + " tags.");
            }
            ctx.store().putKey(current.toBuilder().tags(merged).build());
            return null;
        });
        return ctx.object();
    }

    public ObjectNode untagResource(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        List<String> tagKeys = req.stringList("TagKeys");
        if (!req.has("TagKeys")) {
            throw KmsRequest.invalid("TagKeys", "null", "Member must not be null");
        }
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.UntagResource.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.UntagResource);
        ctx.requireNotPendingDeletion(key);
        ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            Map<String, String> remaining = new LinkedHashMap<>(current.tags());
            tagKeys.forEach(remaining::remove);
            ctx.store().putKey(current.toBuilder().tags(remaining).build());
            return null;
        });
        return ctx.object();
    }

    public ObjectNode listResourceTags(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        int limit = req.optionalInt("Limit", 1, 50).orElse(50);
        int start = req.positionMarker();
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ListResourceTags.action(), key, Map.of(), List.of());
        List<Map.Entry<String, String>> all = new ArrayList<>(key.tags().entrySet());
        all.sort(Map.Entry.comparingByKey());
        ObjectNode out = ctx.object();
        ArrayNode tags = out.putArray("Tags");
        int end = Math.min(all.size(), start + limit);
        for (Map.Entry<String, String> t : all.subList(Math.min(start, all.size()), end)) {
            tags.addObject().put("TagKey", t.getKey()).put("TagValue", t.getValue());
        }
        out.put("Truncated", end < all.size());
        if (end < all.size()) {
            out.put("NextMarker", String.valueOf(end));
        }
        return out;
    }

    static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS_PER_KEY) {
            throw new KmsException(KmsError.TAG, "A key may have at most " + MAX_TAGS_PER_KEY + " tags.");
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().isEmpty() || t.getKey().length() > 128 || t.getValue().length() > 256) {
                throw new KmsException(KmsError.TAG, "Tag keys must be 1-128 characters and values 0-256 characters.");
            }
            if (t.getKey().startsWith("aws:")) {
                throw new KmsException(KmsError.TAG, "Tag keys beginning with \"aws:\" are reserved.");
            }
        }
    }
}

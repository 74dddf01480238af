package dev.coffer.auth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored policies of one kind, parsed once and cached by their text (bounded: the cache is emptied
 * when it grows past its limit). Stored policies were validated when stored, so one that no longer
 * parses is a fault: it fails closed with {@link StoredPolicyUnreadableException} rather than being
 * skipped, as it may hold a Deny. Thread-safe.
 */
public final class ParsedPolicies {
    static final int CACHE_LIMIT = 20_000;

    private final PolicyKind kind;
    private final Map<String, PolicyDocument> parsed = new ConcurrentHashMap<>();

    public ParsedPolicies(PolicyKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public PolicyDocument parse(String json) {
        PolicyDocument cached = parsed.get(json);
        if (cached != null) {
            return cached;
        }
        if (parsed.size() > CACHE_LIMIT) {
            parsed.clear();
        }
        try {
            PolicyDocument document = PolicyDocument.parse(json, kind);
            parsed.put(json, document);
            return document;
        } catch (MalformedPolicyException e) {
            throw new StoredPolicyUnreadableException("a stored " + kind + " policy no longer parses: " + e.getMessage());
        }
    }

    public List<PolicyDocument> parseAll(List<String> jsons) {
        List<PolicyDocument> out = new ArrayList<>(jsons.size());
        for (String json : jsons) {
            out.add(parse(json));
        }
        return out;
    }

    /** A policy that was valid when stored no longer parses. */
    public static final class StoredPolicyUnreadableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        StoredPolicyUnreadableException(String message) {
            super(message);
        }
    }
}

package dev.coffer.kms.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON body of one KMS request, with typed accessors that validate as AWS does and fail with
 * ValidationException messages in AWS's words ("1 validation error detected: ...").
 */
public final class KmsRequest {
    private final ObjectNode body;
    /** The members the handler read: only these reach the audit record (unknown members are ignored, as AWS does). */
    private final Set<String> readMembers = new LinkedHashSet<>();

    public KmsRequest(ObjectNode body) {
        this.body = body;
    }

    /** The member, remembering that the handler read it. */
    private JsonNode member(String field) {
        readMembers.add(field);
        return body.get(field);
    }

    /** The raw member, for nested structures (Constraints); it counts as read. */
    public JsonNode raw(String field) {
        return member(field);
    }

    /** The members read so far with their values, for CloudTrail's requestParameters. */
    public ObjectNode readMembers() {
        ObjectNode out = body.objectNode();
        for (String field : readMembers) {
            JsonNode n = member(field);
            if (n != null && !n.isNull()) {
                out.set(field, n);
            }
        }
        return out;
    }

    public boolean has(String field) {
        JsonNode n = member(field);
        return n != null && !n.isNull();
    }

    public String requiredString(String field, int minLength, int maxLength) {
        return optionalString(field, minLength, maxLength)
                .orElseThrow(() -> invalid(field, "null", "Member must not be null"));
    }

    public Optional<String> optionalString(String field, int minLength, int maxLength) {
        JsonNode n = member(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new KmsException(KmsError.SERIALIZATION, "Start of structure or map found where not expected for " + field);
        }
        String v = n.asText();
        if (v.length() < minLength) {
            throw invalid(field, v, "Member must have length greater than or equal to " + minLength);
        }
        if (v.length() > maxLength) {
            throw invalid(field, "...", "Member must have length less than or equal to " + maxLength);
        }
        return Optional.of(v);
    }

    /** An optional enum-valued string that must be one of {@code allowed}. */
    public Optional<String> optionalEnum(String field, Set<String> allowed) {
        Optional<String> v = optionalString(field, 1, 256);
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw invalid(field, v.get(), "Member must satisfy enum value set: " + allowed);
        }
        return v;
    }

    public Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode n = member(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber()) {
            throw new KmsException(KmsError.SERIALIZATION, "NUMBER_VALUE can not be converted to an Integer for " + field);
        }
        long v = n.asLong();
        if (v < min) {
            throw invalid(field, String.valueOf(v), "Member must have value greater than or equal to " + min);
        }
        if (v > max) {
            throw invalid(field, String.valueOf(v), "Member must have value less than or equal to " + max);
        }
        return Optional.of((int) v);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode n = member(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw new KmsException(KmsError.SERIALIZATION, "Expected a boolean for " + field);
        }
        return Optional.of(n.asBoolean());
    }

    /** A base64 blob of {@code minBytes..maxBytes} decoded bytes. */
    public byte[] requiredBlob(String field, int minBytes, int maxBytes) {
        return optionalBlob(field, minBytes, maxBytes).orElseThrow(() -> invalid(field, "null", "Member must not be null"));
    }

    public Optional<byte[]> optionalBlob(String field, int minBytes, int maxBytes) {
        JsonNode n = member(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new KmsException(KmsError.SERIALIZATION, "Expected a base64 string for " + field);
        }
        byte[] v;
        try {
            v = Base64.getDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            throw new KmsException(KmsError.SERIALIZATION, "Invalid base64 in " + field);
        }
        if (v.length < minBytes) {
            throw invalid(field, "...", "Member must have length greater than or equal to " + minBytes);
        }
        if (v.length > maxBytes) {
            throw invalid(field, "...", "Member must have length less than or equal to " + maxBytes);
        }
        return Optional.of(v);
    }

    /** A string-to-string map (EncryptionContext, constraints); absent means empty. */
    public Map<String, String> stringMap(String field) {
        JsonNode n = member(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new KmsException(KmsError.SERIALIZATION, "Expected a map of strings for " + field);
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isTextual()) {
                throw new KmsException(KmsError.SERIALIZATION, "Expected string values in " + field);
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    public List<String> stringList(String field) {
        JsonNode n = member(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new KmsException(KmsError.SERIALIZATION, "Expected a list for " + field);
        }
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw new KmsException(KmsError.SERIALIZATION, "Expected strings in " + field);
            }
            out.add(item.asText());
        }
        return out;
    }

    /**
     * The {@code Marker} of list operations that page by position (the value Coffer returned as
     * NextMarker): 0 when absent, InvalidMarkerException when it is not a position.
     */
    public int positionMarker() {
        return optionalString("Marker", 1, 1024).map(m -> {
            try {
                int position = Integer.parseInt(m);
                if (position >= 0) {
                    return position;
                }
            } catch (NumberFormatException e) {
                // falls through to the same error as a negative position
            }
            throw new KmsException(KmsError.INVALID_MARKER, "Invalid marker");
        }).orElse(0);
    }

    /** Tags as [{TagKey, TagValue}]. */
    public Map<String, String> tags(String field) {
        JsonNode n = member(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new KmsException(KmsError.SERIALIZATION, "Expected a list of tags for " + field);
        }
        for (JsonNode t : n) {
            JsonNode key = t.get("TagKey");
            JsonNode value = t.get("TagValue");
            if (key == null || !key.isTextual() || value == null || !value.isTextual()) {
                throw new KmsException(KmsError.VALIDATION, "1 validation error detected: each tag needs a TagKey and a TagValue");
            }
            out.put(key.asText(), value.asText());
        }
        return out;
    }

    public static KmsException invalid(String field, String value, String constraint) {
        String member = Character.toLowerCase(field.charAt(0)) + field.substring(1);
        return new KmsException(KmsError.VALIDATION, "1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }
}

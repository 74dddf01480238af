package dev.coffer.kms.ops;

import dev.coffer.kms.core.KmsKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a handler tells the audit trail beyond its request and response: the keys it touched (the
 * record's resources) and additional event data such as the key material id used.
 */
public final class Trace {
    private final List<KmsKey> keys = new ArrayList<>();
    private final Map<String, Object> additionalEventData = new LinkedHashMap<>();

    public void key(KmsKey key) {
        if (keys.stream().noneMatch(k -> k.keyId().equals(key.keyId()))) {
            keys.add(key);
        }
    }

    public void additional(String name, Object value) {
        additionalEventData.put(name, value);
    }

    public List<KmsKey> keys() {
        return keys;
    }

    public Map<String, Object> additionalEventData() {
        return additionalEventData;
    }
}

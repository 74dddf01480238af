package dev.coffer.s3.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep insertion order (Map.copyOf does not, and user metadata order is visible to clients). */
final class Copies {
    private Copies() {
    }

    static Map<String, String> orderedMap(Map<String, String> map, String what) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, what + " key"), Objects.requireNonNull(v, what + " value")));
        return Collections.unmodifiableMap(copy);
    }
}

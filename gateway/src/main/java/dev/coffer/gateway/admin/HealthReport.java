package dev.coffer.gateway.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code /health}: an overall status and one per component, in registration order.
 *
 * @param status     DOWN if any component is DOWN, else UP
 * @param components component name to status
 */
public record HealthReport(HealthStatus status, Map<String, HealthStatus> components) {

    public HealthReport {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    static HealthReport of(Map<String, HealthStatus> components) {
        boolean anyDown = components.containsValue(HealthStatus.DOWN);
        return new HealthReport(anyDown ? HealthStatus.DOWN : HealthStatus.UP, components);
    }

    /**
     * {@code {"status":"UP","services":{"admin":"UP","s3":"NOT_BUILT"}}}. Written by hand: component
     * names are restricted by {@link HealthRegistry} to characters JSON needs no escaping for.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(status).append("\",\"services\":{");
        String separator = "";
        for (Map.Entry<String, HealthStatus> component : components.entrySet()) {
            json.append(separator).append('"').append(component.getKey()).append("\":\"")
                    .append(component.getValue()).append('"');
            separator = ",";
        }
        return json.append("}}").toString();
    }
}

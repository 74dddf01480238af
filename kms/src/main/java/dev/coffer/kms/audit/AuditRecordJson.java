package dev.coffer.kms.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.audit.AuditRecord.EventType;
import dev.coffer.kms.audit.AuditRecord.IdentityType;
import dev.coffer.kms.audit.AuditRecord.Resource;
import dev.coffer.kms.audit.AuditRecord.TlsDetails;
import dev.coffer.kms.audit.AuditRecord.UserIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The CloudTrail JSON form of {@link AuditRecord}. Written field by field with a {@link JsonGenerator}
 * so that the names and their order are CloudTrail's, not whatever a bean mapper would choose; read
 * strictly (duplicate or unknown fields, wrong types and unknown versions are refused).
 */
final class AuditRecordJson {
    /** Shared, thread-safe once configured. Duplicate keys are refused so a record cannot say two things. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of(
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
            "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
            "responseElements", "additionalEventData", "requestID", "eventID", "readOnly", "resources",
            "eventType", "managementEvent", "recipientAccountId", "sharedEventID", "serviceEventDetails",
            "eventCategory", "tlsDetails");
    private static final Set<String> IDENTITY_FIELDS =
            Set.of("type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy");
    private static final Set<String> RESOURCE_FIELDS = Set.of("ARN", "accountId", "type");
    private static final Set<String> TLS_FIELDS = Set.of("tlsVersion", "cipherSuite", "clientProvidedHostHeader");

    private AuditRecordJson() {}

    static ObjectNode toTree(Map<String, ?> map) {
        if (map == null) {
            return null;
        }
        return MAPPER.valueToTree(map);
    }

    static String formatTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Parses CloudTrail's {@code yyyy-MM-ddTHH:mm:ssZ}, refusing any other spelling of the instant. */
    static Instant parseTime(String text, String field) {
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 UTC instant");
        }
        if (!formatTime(parsed).equals(text) || parsed.getNano() != 0) {
            throw new IllegalArgumentException(field + " must be UTC, to the second, ending in Z");
        }
        return parsed;
    }

    static byte[] write(AuditRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(768);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventVersion", r.eventVersion());
            writeIdentity(g, r.userIdentity());
            g.writeStringField("eventTime", formatTime(r.eventTime()));
            g.writeStringField("eventSource", r.eventSource());
            g.writeStringField("eventName", r.eventName());
            g.writeStringField("awsRegion", r.awsRegion());
            g.writeStringField("sourceIPAddress", r.sourceIpAddress());
            writeOptional(g, "userAgent", r.userAgentOrNull());
            // CloudTrail puts the error right after the caller's description, before the parameters.
            writeOptional(g, "errorCode", r.errorCodeOrNull());
            writeOptional(g, "errorMessage", r.errorMessageOrNull());
            // CloudTrail always writes these two, as null when there is nothing to show.
            g.writeFieldName("requestParameters");
            writeNodeOrNull(g, r.requestParametersNode());
            g.writeFieldName("responseElements");
            writeNodeOrNull(g, r.responseElementsNode());
            if (r.additionalEventDataNode() != null) {
                g.writeFieldName("additionalEventData");
                g.writeTree(r.additionalEventDataNode());
            }
            writeOptional(g, "requestID", r.requestIdOrNull());
            g.writeStringField("eventID", r.eventId().toString());
            g.writeBooleanField("readOnly", r.readOnly());
            if (!r.resources().isEmpty()) {
                g.writeArrayFieldStart("resources");
                for (Resource res : r.resources()) {
                    g.writeStartObject();
                    g.writeStringField("ARN", res.arn());
                    writeOptional(g, "accountId", res.accountId());
                    g.writeStringField("type", res.type());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeStringField("eventType", r.eventType().wireName());
            g.writeBooleanField("managementEvent", r.managementEvent());
            g.writeStringField("recipientAccountId", r.recipientAccountId());
            writeOptional(g, "sharedEventID", r.sharedEventIdOrNull());
            if (r.serviceEventDetailsNode() != null) {
                g.writeFieldName("serviceEventDetails");
                g.writeTree(r.serviceEventDetailsNode());
            }
            g.writeStringField("eventCategory", r.eventCategory());
            if (r.tlsDetails().isPresent()) {
                TlsDetails tls = r.tlsDetails().get();
                g.writeObjectFieldStart("tlsDetails");
                writeOptional(g, "tlsVersion", tls.tlsVersion());
                writeOptional(g, "cipherSuite", tls.cipherSuite());
                writeOptional(g, "clientProvidedHostHeader", tls.clientProvidedHostHeader());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeIdentity(JsonGenerator g, UserIdentity id) throws IOException {
        g.writeObjectFieldStart("userIdentity");
        writeOptional(g, "type", id.type() == null ? null : id.type().wireName());
        writeOptional(g, "principalId", id.principalId());
        writeOptional(g, "arn", id.arn());
        writeOptional(g, "accountId", id.accountId());
        writeOptional(g, "accessKeyId", id.accessKeyId());
        writeOptional(g, "userName", id.userName());
        writeOptional(g, "invokedBy", id.invokedBy());
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void writeNodeOrNull(JsonGenerator g, JsonNode node) throws IOException {
        if (node == null) {
            g.writeNull();
        } else {
            g.writeTree(node);
        }
    }

    /** Parses one line; every failure is an {@link AuditTrailException} naming the problem, never the content. */
    static AuditRecord read(byte[] line) {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AuditTrailException("malformed audit record: not one JSON object ("
                    + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromTree(root);
    }

    static AuditRecord fromTree(JsonNode root) {
        try {
            return parse(root);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AuditTrailException("malformed audit record: " + e.getMessage());
        }
    }

    private static AuditRecord parse(JsonNode root) {
        ObjectNode o = requireObject(root, "record");
        requireKnownFields(o, TOP_LEVEL_FIELDS, "");
        String version = text(o, "eventVersion", true);
        if (!AuditRecord.EVENT_VERSION.equals(version)) {
            throw new IllegalArgumentException("unsupported eventVersion " + version);
        }
        JsonNode management = o.get("managementEvent");
        if (management == null || !management.isBoolean() || !management.booleanValue()) {
            throw new IllegalArgumentException("managementEvent must be true");
        }
        if (!AuditRecord.EVENT_CATEGORY_MANAGEMENT.equals(text(o, "eventCategory", true))) {
            throw new IllegalArgumentException("eventCategory must be Management");
        }
        JsonNode readOnly = o.get("readOnly");
        if (readOnly == null || !readOnly.isBoolean()) {
            throw new IllegalArgumentException("readOnly must be a boolean");
        }
        AuditRecord.Builder b = AuditRecord.builder()
                .eventType(EventType.fromWireName(text(o, "eventType", true)))
                .userIdentity(readIdentity(requireObject(o.get("userIdentity"), "userIdentity")))
                .eventTime(parseTime(text(o, "eventTime", true), "eventTime"))
                .eventSource(text(o, "eventSource", true))
                .eventName(text(o, "eventName", true))
                .awsRegion(text(o, "awsRegion", true))
                .sourceIpAddress(text(o, "sourceIPAddress", true))
                .userAgent(text(o, "userAgent", false))
                .error(text(o, "errorCode", false), text(o, "errorMessage", false))
                .requestParameters(objectOrNull(o, "requestParameters", true))
                .responseElements(objectOrNull(o, "responseElements", true))
                .additionalEventData(objectOrNull(o, "additionalEventData", false))
                .requestId(text(o, "requestID", false))
                .eventId(parseUuid(text(o, "eventID", true)))
                .readOnly(readOnly.booleanValue())
                .resources(readResources(o.get("resources")))
                .recipientAccountId(text(o, "recipientAccountId", true))
                .sharedEventId(text(o, "sharedEventID", false))
                .serviceEventDetails(objectOrNull(o, "serviceEventDetails", false))
                .tlsDetails(readTls(o.get("tlsDetails")));
        return b.build();
    }

    private static UserIdentity readIdentity(ObjectNode id) {
        requireKnownFields(id, IDENTITY_FIELDS, "userIdentity.");
        String type = text(id, "type", false);
        return new UserIdentity(
                type == null ? null : IdentityType.fromWireName(type),
                text(id, "principalId", false),
                text(id, "arn", false),
                text(id, "accountId", false),
                text(id, "accessKeyId", false),
                text(id, "userName", false),
                text(id, "invokedBy", false));
    }

    private static List<Resource> readResources(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("resources must be a non-empty array when present");
        }
        List<Resource> out = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            ObjectNode res = requireObject(element, "resources[]");
            requireKnownFields(res, RESOURCE_FIELDS, "resources[].");
            out.add(new Resource(text(res, "ARN", true), text(res, "accountId", false), text(res, "type", true)));
        }
        return out;
    }

    private static TlsDetails readTls(JsonNode node) {
        if (node == null) {
            return null;
        }
        ObjectNode tls = requireObject(node, "tlsDetails");
        requireKnownFields(tls, TLS_FIELDS, "tlsDetails.");
        return new TlsDetails(
                text(tls, "tlsVersion", false),
                text(tls, "cipherSuite", false),
                text(tls, "clientProvidedHostHeader", false));
    }

    private static ObjectNode requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void requireKnownFields(ObjectNode o, Set<String> known, String prefix) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field " + prefix + name);
            }
        }
    }

    private static String text(ObjectNode o, String field, boolean required) {
        JsonNode node = o.get(field);
        if (node == null) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.textValue();
    }

    /** {@code alwaysWritten}: CloudTrail writes the field even when null, so it must be present. */
    private static JsonNode objectOrNull(ObjectNode o, String field, boolean alwaysWritten) {
        JsonNode node = o.get(field);
        if (node == null) {
            if (alwaysWritten) {
                throw new IllegalArgumentException(field + " is required (null when empty)");
            }
            return null;
        }
        if (node.isNull()) {
            if (!alwaysWritten) {
                throw new IllegalArgumentException(field + " is omitted, not null, when empty");
            }
            return null;
        }
        return requireObject(node, field);
    }

    private static UUID parseUuid(String text) {
        UUID id = UUID.fromString(text);
        if (!id.toString().equals(text)) {
            throw new IllegalArgumentException("eventID is not a canonical UUID");
        }
        return id;
    }

    /** For readers that only need the parse tree (lookup filters), with the same strict settings. */
    static JsonNode readTree(byte[] bytes, int length) throws JsonProcessingException {
        try {
            return MAPPER.readTree(bytes, 0, length);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

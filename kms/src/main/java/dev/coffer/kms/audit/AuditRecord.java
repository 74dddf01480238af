package dev.coffer.kms.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One CloudTrail event record (eventVersion {@value #EVENT_VERSION}) for a KMS call, allowed or
 * denied, or for a KMS service event such as automatic rotation. Immutable; build one with {@link
 * #builder()} (API calls) or {@link #serviceEventBuilder(String)} (service events).
 *
 * <p>The JSON form ({@link #toJson()}) uses CloudTrail's field names in CloudTrail's order and is
 * what the trail stores, one record per line. Building a record runs {@link SecretFieldGuard} over
 * the free-form sections, so a caller that passes a plaintext, key material or another secret by
 * mistake gets an exception instead of a leak; ciphertext blobs are dropped, as CloudTrail drops them.
 */
public final class AuditRecord {
    public static final String EVENT_VERSION = "1.11";
    public static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    public static final String EVENT_CATEGORY_MANAGEMENT = "Management";
    /** What CloudTrail shows as caller, source address and user agent of a service event. */
    public static final String AWS_INTERNAL = "AWS Internal";
    public static final String KMS_KEY_RESOURCE_TYPE = "AWS::KMS::Key";

    /** {@code userIdentity.type}, by its CloudTrail name. */
    public enum IdentityType {
        IAM_USER("IAMUser"),
        ROOT("Root"),
        ASSUMED_ROLE("AssumedRole"),
        AWS_SERVICE("AWSService");

        private final String wireName;

        IdentityType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static IdentityType fromWireName(String name) {
            for (IdentityType t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown userIdentity.type " + name);
        }
    }

    /** {@code eventType}, by its CloudTrail name. */
    public enum EventType {
        AWS_API_CALL("AwsApiCall"),
        AWS_SERVICE_EVENT("AwsServiceEvent");

        private final String wireName;

        EventType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static EventType fromWireName(String name) {
            for (EventType t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown eventType " + name);
        }
    }

    /**
     * {@code userIdentity}. Every component may be absent (null); CloudTrail's service events carry
     * only {@code accountId} and {@code invokedBy}. {@code invokedBy} names the service that called
     * on the user's behalf (e.g. {@code s3.amazonaws.com} when the S3 front end asks for a data key).
     */
    public record UserIdentity(
            IdentityType type,
            String principalId,
            String arn,
            String accountId,
            String accessKeyId,
            String userName,
            String invokedBy) {
        public UserIdentity {
            requireNonBlankIfPresent(principalId, "userIdentity.principalId");
            requireNonBlankIfPresent(arn, "userIdentity.arn");
            requireNonBlankIfPresent(accountId, "userIdentity.accountId");
            requireNonBlankIfPresent(accessKeyId, "userIdentity.accessKeyId");
            requireNonBlankIfPresent(userName, "userIdentity.userName");
            requireNonBlankIfPresent(invokedBy, "userIdentity.invokedBy");
            if (type == null && principalId == null && arn == null && accountId == null
                    && accessKeyId == null && userName == null && invokedBy == null) {
                throw new IllegalArgumentException("userIdentity is empty");
            }
        }

        public static UserIdentity iamUser(
                String principalId, String arn, String accountId, String accessKeyId, String userName) {
            return new UserIdentity(IdentityType.IAM_USER, principalId, arn, accountId, accessKeyId, userName, null);
        }

        public static UserIdentity root(String principalId, String arn, String accountId, String accessKeyId) {
            return new UserIdentity(IdentityType.ROOT, principalId, arn, accountId, accessKeyId, null, null);
        }

        /** A call made by a service on its own account, e.g. {@code awsService("s3.amazonaws.com")}. */
        public static UserIdentity awsService(String invokedBy) {
            return new UserIdentity(IdentityType.AWS_SERVICE, null, null, null, null, null, invokedBy);
        }

        /** The identity CloudTrail records for a service event: the account and "AWS Internal". */
        public static UserIdentity internal(String accountId) {
            return new UserIdentity(null, null, null, accountId, null, null, AWS_INTERNAL);
        }

        /** This identity, calling through {@code service} (kms:ViaService): sets {@code invokedBy}. */
        public UserIdentity invokedBy(String service) {
            return new UserIdentity(type, principalId, arn, accountId, accessKeyId, userName, service);
        }
    }

    /** One entry of {@code resources}: in JSON {@code {"ARN":…,"accountId":…,"type":…}}. */
    public record Resource(String arn, String accountId, String type) {
        public Resource {
            requireNonBlank(arn, "resources[].ARN");
            requireNonBlankIfPresent(accountId, "resources[].accountId");
            requireNonBlank(type, "resources[].type");
        }

        public static Resource kmsKey(String keyArn, String accountId) {
            return new Resource(keyArn, accountId, KMS_KEY_RESOURCE_TYPE);
        }
    }

    /** {@code tlsDetails} of the caller's connection, when it came over TLS. */
    public record TlsDetails(String tlsVersion, String cipherSuite, String clientProvidedHostHeader) {
        public TlsDetails {
            requireNonBlankIfPresent(tlsVersion, "tlsDetails.tlsVersion");
            requireNonBlankIfPresent(cipherSuite, "tlsDetails.cipherSuite");
            requireNonBlankIfPresent(clientProvidedHostHeader, "tlsDetails.clientProvidedHostHeader");
        }
    }

    private final UserIdentity userIdentity;
    private final Instant eventTime;
    private final String eventSource;
    private final String eventName;
    private final String awsRegion;
    private final String sourceIpAddress;
    private final String userAgent;
    private final String errorCode;
    private final String errorMessage;
    private final ObjectNode requestParameters;
    private final ObjectNode responseElements;
    private final ObjectNode additionalEventData;
    private final String requestId;
    private final UUID eventId;
    private final boolean readOnly;
    private final List<Resource> resources;
    private final EventType eventType;
    private final String recipientAccountId;
    private final String sharedEventId;
    private final ObjectNode serviceEventDetails;
    private final TlsDetails tlsDetails;
    /** The stored form, computed once: the record is immutable. */
    private final byte[] json;

    private AuditRecord(Builder b) {
        this.eventType = Objects.requireNonNull(b.eventType, "eventType");
        this.userIdentity = Objects.requireNonNull(b.userIdentity, "userIdentity");
        if (eventType == EventType.AWS_API_CALL && userIdentity.type() == null) {
            throw new IllegalArgumentException("userIdentity.type is required for an AwsApiCall");
        }
        this.eventTime = Objects.requireNonNull(b.eventTime, "eventTime").truncatedTo(ChronoUnit.SECONDS);
        this.eventSource = requireNonBlank(b.eventSource, "eventSource");
        this.eventName = requireNonBlank(b.eventName, "eventName");
        this.awsRegion = requireNonBlank(b.awsRegion, "awsRegion");
        this.sourceIpAddress = requireNonBlank(b.sourceIpAddress, "sourceIPAddress");
        this.userAgent = requireNonBlankIfPresent(b.userAgent, "userAgent");
        this.errorCode = requireNonBlankIfPresent(b.errorCode, "errorCode");
        this.errorMessage = requireNonBlankIfPresent(b.errorMessage, "errorMessage");
        if (errorMessage != null && errorCode == null) {
            throw new IllegalArgumentException("errorMessage without errorCode");
        }
        this.requestParameters = SecretFieldGuard.sanitize("requestParameters", b.requestParameters);
        this.responseElements = SecretFieldGuard.sanitize("responseElements", b.responseElements);
        this.additionalEventData = SecretFieldGuard.sanitize("additionalEventData", b.additionalEventData);
        this.serviceEventDetails = SecretFieldGuard.sanitize("serviceEventDetails", b.serviceEventDetails);
        this.requestId = requireNonBlankIfPresent(b.requestId, "requestID");
        if (eventType == EventType.AWS_API_CALL && requestId == null) {
            throw new IllegalArgumentException("requestID is required for an AwsApiCall");
        }
        this.eventId = Objects.requireNonNull(b.eventId, "eventID");
        this.readOnly = Objects.requireNonNull(b.readOnly, "readOnly must be set explicitly");
        this.resources = List.copyOf(b.resources);
        this.recipientAccountId = requireNonBlank(b.recipientAccountId, "recipientAccountId");
        this.sharedEventId = requireNonBlankIfPresent(b.sharedEventId, "sharedEventID");
        this.tlsDetails = b.tlsDetails;
        this.json = AuditRecordJson.write(this);
    }

    /** A builder for an {@code AwsApiCall}, with eventSource {@value #KMS_EVENT_SOURCE} and a random eventID. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for an {@code AwsServiceEvent} of this account (e.g. {@code RotateKey} on automatic
     * rotation), shaped as CloudTrail shapes them: internal caller, "AWS Internal" as source and user
     * agent, no request ID, not read-only.
     */
    public static Builder serviceEventBuilder(String accountId) {
        return new Builder()
                .eventType(EventType.AWS_SERVICE_EVENT)
                .userIdentity(UserIdentity.internal(accountId))
                .sourceIpAddress(AWS_INTERNAL)
                .userAgent(AWS_INTERNAL)
                .readOnly(false)
                .recipientAccountId(accountId);
    }

    /**
     * Parses one stored record, strictly: unknown fields, an eventVersion other than {@value
     * #EVENT_VERSION} and secret-looking fields are refused with {@link AuditTrailException}.
     */
    public static AuditRecord fromJson(String json) {
        return AuditRecordJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored form: compact JSON, UTF-8, CloudTrail field order, no line terminator. */
    public String toJson() {
        return new String(json, StandardCharsets.UTF_8);
    }

    byte[] jsonBytes() {
        return json;
    }

    public String eventVersion() {
        return EVENT_VERSION;
    }

    public UserIdentity userIdentity() {
        return userIdentity;
    }

    /** When the request was made, to the second (CloudTrail's precision). */
    public Instant eventTime() {
        return eventTime;
    }

    public String eventSource() {
        return eventSource;
    }

    public String eventName() {
        return eventName;
    }

    public String awsRegion() {
        return awsRegion;
    }

    public String sourceIpAddress() {
        return sourceIpAddress;
    }

    public Optional<String> userAgent() {
        return Optional.ofNullable(userAgent);
    }

    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    /** A copy; absent means JSON {@code null}. */
    public Optional<JsonNode> requestParameters() {
        return copyOf(requestParameters);
    }

    /** A copy; absent means JSON {@code null}. */
    public Optional<JsonNode> responseElements() {
        return copyOf(responseElements);
    }

    public Optional<JsonNode> additionalEventData() {
        return copyOf(additionalEventData);
    }

    /** {@code requestParameters.keyId} as the caller gave it (key ID, key ARN, alias name or alias ARN). */
    public Optional<String> requestedKeyId() {
        if (requestParameters == null) {
            return Optional.empty();
        }
        JsonNode keyId = requestParameters.get("keyId");
        return keyId != null && keyId.isTextual() ? Optional.of(keyId.asText()) : Optional.empty();
    }

    /** Absent for service events. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    public UUID eventId() {
        return eventId;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public List<Resource> resources() {
        return resources;
    }

    public EventType eventType() {
        return eventType;
    }

    public boolean managementEvent() {
        return true;
    }

    public String recipientAccountId() {
        return recipientAccountId;
    }

    public Optional<String> sharedEventId() {
        return Optional.ofNullable(sharedEventId);
    }

    public Optional<JsonNode> serviceEventDetails() {
        return copyOf(serviceEventDetails);
    }

    public String eventCategory() {
        return EVENT_CATEGORY_MANAGEMENT;
    }

    public Optional<TlsDetails> tlsDetails() {
        return Optional.ofNullable(tlsDetails);
    }

    // The codec reads the free-form sections without copying them.
    ObjectNode requestParametersNode() {
        return requestParameters;
    }

    ObjectNode responseElementsNode() {
        return responseElements;
    }

    ObjectNode additionalEventDataNode() {
        return additionalEventData;
    }

    ObjectNode serviceEventDetailsNode() {
        return serviceEventDetails;
    }

    String userAgentOrNull() {
        return userAgent;
    }

    String errorCodeOrNull() {
        return errorCode;
    }

    String errorMessageOrNull() {
        return errorMessage;
    }

    String requestIdOrNull() {
        return requestId;
    }

    String sharedEventIdOrNull() {
        return sharedEventId;
    }

    /** Two records are equal when their stored forms are equal, byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuditRecord other && Arrays.equals(json, other.json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    /** Names the event only: parameters (encryption contexts, for one) stay out of log lines. */
    @Override
    public String toString() {
        return "AuditRecord[" + eventName + " " + eventTime + " eventID=" + eventId
                + (errorCode == null ? "" : " errorCode=" + errorCode) + "]";
    }

    private static Optional<JsonNode> copyOf(ObjectNode node) {
        return node == null ? Optional.empty() : Optional.of(node.deepCopy());
    }

    static String requireNonBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String requireNonBlankIfPresent(String value, String field) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " is blank");
        }
        return value;
    }

    /** Builds an {@link AuditRecord}; not thread-safe. */
    public static final class Builder {
        private UserIdentity userIdentity;
        private Instant eventTime;
        private String eventSource = KMS_EVENT_SOURCE;
        private String eventName;
        private String awsRegion;
        private String sourceIpAddress;
        private String userAgent;
        private String errorCode;
        private String errorMessage;
        private JsonNode requestParameters;
        private JsonNode responseElements;
        private JsonNode additionalEventData;
        private String requestId;
        private UUID eventId = UUID.randomUUID();
        private Boolean readOnly;
        private List<Resource> resources = List.of();
        private EventType eventType = EventType.AWS_API_CALL;
        private String recipientAccountId;
        private String sharedEventId;
        private JsonNode serviceEventDetails;
        private TlsDetails tlsDetails;

        private Builder() {}

        public Builder userIdentity(UserIdentity userIdentity) {
            this.userIdentity = userIdentity;
            return this;
        }

        public Builder eventTime(Instant eventTime) {
            this.eventTime = eventTime;
            return this;
        }

        public Builder eventSource(String eventSource) {
            this.eventSource = eventSource;
            return this;
        }

        public Builder eventName(String eventName) {
            this.eventName = eventName;
            return this;
        }

        public Builder awsRegion(String awsRegion) {
            this.awsRegion = awsRegion;
            return this;
        }

        public Builder sourceIpAddress(String sourceIpAddress) {
            this.sourceIpAddress = sourceIpAddress;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** A denied or failed call: the AWS error code (e.g. {@code AccessDeniedException}) and message. */
        public Builder error(String errorCode, String errorMessage) {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        /** A JSON object, or null for CloudTrail's {@code "requestParameters":null}. */
        public Builder requestParameters(JsonNode requestParameters) {
            this.requestParameters = requestParameters;
            return this;
        }

        /** As {@link #requestParameters(JsonNode)}, from a map of JSON-mappable values. */
        public Builder requestParameters(Map<String, ?> requestParameters) {
            this.requestParameters = AuditRecordJson.toTree(requestParameters);
            return this;
        }

        public Builder responseElements(JsonNode responseElements) {
            this.responseElements = responseElements;
            return this;
        }

        public Builder responseElements(Map<String, ?> responseElements) {
            this.responseElements = AuditRecordJson.toTree(responseElements);
            return this;
        }

        /** E.g. {@code {"keyMaterialId": "<hex>"}}; omitted from the JSON when null. */
        public Builder additionalEventData(JsonNode additionalEventData) {
            this.additionalEventData = additionalEventData;
            return this;
        }

        public Builder additionalEventData(Map<String, ?> additionalEventData) {
            this.additionalEventData = AuditRecordJson.toTree(additionalEventData);
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder eventId(UUID eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder resources(List<Resource> resources) {
            this.resources = List.copyOf(resources);
            return this;
        }

        /** Shorthand for a single {@code AWS::KMS::Key} resource. */
        public Builder kmsKeyResource(String keyArn, String accountId) {
            this.resources = List.of(Resource.kmsKey(keyArn, accountId));
            return this;
        }

        public Builder eventType(EventType eventType) {
            this.eventType = eventType;
            return this;
        }

        public Builder recipientAccountId(String recipientAccountId) {
            this.recipientAccountId = recipientAccountId;
            return this;
        }

        /** Cross-account calls: the same ID in the caller's and the key owner's records. */
        public Builder sharedEventId(String sharedEventId) {
            this.sharedEventId = sharedEventId;
            return this;
        }

        /** For service events, e.g. {@code {"rotationType":"AUTOMATIC","keyId":"…"}}. */
        public Builder serviceEventDetails(JsonNode serviceEventDetails) {
            this.serviceEventDetails = serviceEventDetails;
            return this;
        }

        public Builder serviceEventDetails(Map<String, ?> serviceEventDetails) {
            this.serviceEventDetails = AuditRecordJson.toTree(serviceEventDetails);
            return this;
        }

        public Builder tlsDetails(TlsDetails tlsDetails) {
            this.tlsDetails = tlsDetails;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if a required field is missing, or a free-form section
         *     holds a secret-looking field or binary value (see {@link SecretFieldGuard})
         */
        public AuditRecord build() {
            return new AuditRecord(this);
        }
    }
}

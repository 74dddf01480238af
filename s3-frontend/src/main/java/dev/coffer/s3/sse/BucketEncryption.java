package dev.coffer.s3.sse;

import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.xml.S3XmlReader;
import dev.coffer.s3.xml.S3XmlWriter;
import dev.coffer.s3.xml.XmlElement;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bucket's default encryption (PutBucketEncryption): the algorithm a write without SSE headers
 * gets, the KMS key and Bucket Key setting for SSE-KMS, and the encryption types writes may not
 * use. Immutable. A bucket never configured (or after DeleteBucketEncryption) has none: its objects
 * are stored as written (plain unless the request asks for encryption) and SSE-C is allowed. This
 * is where Coffer differs from AWS today, which gives every bucket SSE-S3 (since 2023) and blocks
 * SSE-C on new buckets (since April 2026): a gateway must be able to hold plain objects (data it
 * fronts before encryption is switched on, and the "SSE off" baseline), and "no configuration"
 * meaning "nothing is applied" is the rule every S3 implementation had before 2023.
 *
 * <p>Stored in {@link BucketRecord#configurations()} under {@link #CONFIGURATION_KIND}, in the
 * versioned text form of docs/formats/s3-bucket-encryption-v1.md.
 */
public final class BucketEncryption {
    /** The bucket configuration kind this is stored under. */
    public static final String CONFIGURATION_KIND = "encryption";

    static final String STORED_HEADER = "coffer-bucket-encryption 1";

    /** The default algorithms Coffer serves (SSEAlgorithm). */
    public enum Algorithm {
        SSE_S3("AES256"),
        SSE_KMS("aws:kms");

        private final String wireName;

        Algorithm(String wireName) {
            this.wireName = wireName;
        }

        /** The SSEAlgorithm value, which is also the x-amz-server-side-encryption header value. */
        public String wireName() {
            return wireName;
        }

        static Optional<Algorithm> fromWireName(String name) {
            for (Algorithm a : values()) {
                if (a.wireName.equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** BlockedEncryptionTypes values: SSE-C, or NONE for nothing blocked. */
    public enum EncryptionType {
        NONE("NONE"),
        SSE_C("SSE-C");

        private final String wireName;

        EncryptionType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Optional<EncryptionType> fromWireName(String name) {
            for (EncryptionType t : values()) {
                if (t.wireName.equals(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** What a write that carries no SSE headers is encrypted with. There is no "none": AWS encrypts every new object. */
    public sealed interface WriteDefault {
        /** SSE-S3 (AES256). */
        record SseS3() implements WriteDefault {}

        /**
         * SSE-KMS (aws:kms).
         *
         * @param kmsKeyId the KMSMasterKeyID as configured (key id, key ARN, alias name or alias ARN),
         *     or empty for the AWS managed key {@code aws/s3}
         * @param bucketKeyEnabled whether the bucket's S3 Bucket Key setting is on
         */
        record SseKms(Optional<String> kmsKeyId, boolean bucketKeyEnabled) implements WriteDefault {
            public SseKms {
                Objects.requireNonNull(kmsKeyId, "kmsKeyId");
            }
        }
    }

    private final Algorithm algorithm;
    private final String kmsMasterKeyId;
    private final boolean bucketKeyEnabled;
    private final Set<EncryptionType> blockedEncryptionTypes;

    private BucketEncryption(Algorithm algorithm, String kmsMasterKeyId, boolean bucketKeyEnabled,
                             Set<EncryptionType> blockedEncryptionTypes) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (kmsMasterKeyId != null && (algorithm != Algorithm.SSE_KMS || kmsMasterKeyId.isEmpty())) {
            throw new IllegalArgumentException("a KMS key id needs aws:kms and must not be empty");
        }
        if (blockedEncryptionTypes.isEmpty()
                || (blockedEncryptionTypes.contains(EncryptionType.NONE) && blockedEncryptionTypes.size() > 1)) {
            throw new IllegalArgumentException("blocked encryption types must be NONE alone or a set of types: "
                    + blockedEncryptionTypes);
        }
        this.kmsMasterKeyId = kmsMasterKeyId;
        this.bucketKeyEnabled = bucketKeyEnabled;
        this.blockedEncryptionTypes = Collections.unmodifiableSet(EnumSet.copyOf(blockedEncryptionTypes));
    }

    /** The default encryption of a bucket, as stored; empty when it has none. */
    public static Optional<BucketEncryption> of(BucketRecord bucket) {
        String stored = bucket.configurations().get(CONFIGURATION_KIND);
        return stored == null ? Optional.empty() : Optional.of(fromStored(stored));
    }

    /** SSE-S3 with these settings. */
    public static BucketEncryption sseS3(boolean bucketKeyEnabled, Set<EncryptionType> blocked) {
        return new BucketEncryption(Algorithm.SSE_S3, null, bucketKeyEnabled, blocked);
    }

    /** SSE-KMS under this key (null or empty for aws/s3) with these settings. */
    public static BucketEncryption sseKms(Optional<String> kmsMasterKeyId, boolean bucketKeyEnabled,
                                          Set<EncryptionType> blocked) {
        return new BucketEncryption(Algorithm.SSE_KMS, kmsMasterKeyId.orElse(null), bucketKeyEnabled, blocked);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** The KMSMasterKeyID exactly as the client sent it (S3 does not validate it), if any. */
    public Optional<String> kmsMasterKeyId() {
        return Optional.ofNullable(kmsMasterKeyId);
    }

    public boolean bucketKeyEnabled() {
        return bucketKeyEnabled;
    }

    /** Either {NONE} or the blocked types (today only {SSE-C}). */
    public Set<EncryptionType> blockedEncryptionTypes() {
        return blockedEncryptionTypes;
    }

    /** Whether a write that asks for SSE-C must be refused with 403 AccessDenied. */
    public boolean blocksSseC() {
        return blockedEncryptionTypes.contains(EncryptionType.SSE_C);
    }

    /** The encryption a write without any SSE header gets. */
    public WriteDefault writeDefault() {
        return switch (algorithm) {
            case SSE_S3 -> new WriteDefault.SseS3();
            case SSE_KMS -> new WriteDefault.SseKms(kmsMasterKeyId(), bucketKeyEnabled);
        };
    }

    // ---- The wire document (PutBucketEncryption / GetBucketEncryption) ----

    /**
     * Parses a PutBucketEncryption document. MalformedXML for anything outside AWS's schema (no or
     * several Rules, unknown elements or SSEAlgorithm values, a non-boolean BucketKeyEnabled);
     * InvalidArgument for a KMSMasterKeyID without aws:kms; NotImplemented for algorithms AWS has
     * and Coffer does not (aws:kms:dsse, aws:fsx, aws:backup).
     *
     * @param current the bucket's encryption now, if any: a document without BlockedEncryptionTypes
     *     keeps its blocked types, as AWS does (a PUT that omits the element does not lift the SSE-C
     *     block); with none configured, nothing is blocked
     */
    public static BucketEncryption parse(byte[] xml, Optional<BucketEncryption> current) {
        XmlElement root = S3XmlReader.parse(xml, "ServerSideEncryptionConfiguration");
        onlyChildren(root, "Rule");
        List<XmlElement> rules = root.children("Rule");
        if (rules.size() != 1) {
            // AWS: "Rules: []" and two rules are both MalformedXML.
            throw malformed("A ServerSideEncryptionConfiguration has exactly one Rule.");
        }
        XmlElement rule = rules.getFirst();
        onlyChildren(rule, "ApplyServerSideEncryptionByDefault", "BucketKeyEnabled", "BlockedEncryptionTypes");

        Algorithm algorithm = Algorithm.SSE_S3;
        String kmsKeyId = null;
        Optional<XmlElement> byDefault = single(rule, "ApplyServerSideEncryptionByDefault");
        if (byDefault.isPresent()) {
            onlyChildren(byDefault.get(), "SSEAlgorithm", "KMSMasterKeyID");
            String name = single(byDefault.get(), "SSEAlgorithm").map(XmlElement::text)
                    .orElseThrow(() -> malformed("ApplyServerSideEncryptionByDefault needs an SSEAlgorithm."));
            algorithm = Algorithm.fromWireName(name).orElseThrow(() -> unsupportedAlgorithm(name));
            Optional<XmlElement> keyId = single(byDefault.get(), "KMSMasterKeyID");
            if (keyId.isPresent()) {
                if (algorithm != Algorithm.SSE_KMS) {
                    throw S3Exception.invalidArgument(
                            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                            "ApplyServerSideEncryptionByDefault", null);
                }
                if (keyId.get().text().isEmpty()) {
                    throw S3Exception.invalidArgument("The KMSMasterKeyID must not be empty.", "KMSMasterKeyID", "");
                }
                kmsKeyId = keyId.get().text();
            }
        }

        boolean bucketKey = single(rule, "BucketKeyEnabled").map(e -> parseBoolean(e.text())).orElse(false);

        Set<EncryptionType> blocked = current.map(c -> c.blockedEncryptionTypes).orElse(EnumSet.of(EncryptionType.NONE));
        Optional<XmlElement> blockedElement = single(rule, "BlockedEncryptionTypes");
        if (blockedElement.isPresent()) {
            onlyChildren(blockedElement.get(), "EncryptionType");
            Set<EncryptionType> listed = EnumSet.noneOf(EncryptionType.class);
            for (XmlElement type : blockedElement.get().children("EncryptionType")) {
                listed.add(EncryptionType.fromWireName(type.text())
                        .orElseThrow(() -> malformed("EncryptionType must be NONE or SSE-C.")));
            }
            if (listed.contains(EncryptionType.NONE) && listed.size() > 1) {
                throw S3Exception.invalidArgument("NONE cannot be combined with another EncryptionType.",
                        "BlockedEncryptionTypes", null);
            }
            if (!listed.isEmpty()) {
                blocked = listed;
            }
        }
        return new BucketEncryption(algorithm, kmsKeyId, bucketKey, blocked);
    }

    /** The GetBucketEncryption document. */
    public S3XmlWriter toXml() {
        S3XmlWriter xml = S3XmlWriter.document("ServerSideEncryptionConfiguration").start("Rule");
        xml.start("ApplyServerSideEncryptionByDefault").element("SSEAlgorithm", algorithm.wireName())
                .element("KMSMasterKeyID", kmsMasterKeyId).end();
        xml.element("BucketKeyEnabled", bucketKeyEnabled);
        xml.start("BlockedEncryptionTypes");
        for (EncryptionType type : blockedEncryptionTypes) {
            xml.element("EncryptionType", type.wireName());
        }
        return xml.end().end();
    }

    // ---- The stored form (docs/formats/s3-bucket-encryption-v1.md) ----

    /** The stored form: a version line, then one {@code Name=value} line per field, values percent-encoded. */
    public String toStored() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SSEAlgorithm", algorithm.wireName());
        if (kmsMasterKeyId != null) {
            fields.put("KMSMasterKeyID", kmsMasterKeyId);
        }
        fields.put("BucketKeyEnabled", Boolean.toString(bucketKeyEnabled));
        fields.put("BlockedEncryptionTypes", String.join(",",
                blockedEncryptionTypes.stream().map(EncryptionType::wireName).toList()));
        StringBuilder out = new StringBuilder(STORED_HEADER).append('\n');
        fields.forEach((name, value) -> out.append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('\n'));
        return out.toString();
    }

    /**
     * Reads the stored form. Fails closed: an unknown version, an unknown or repeated field or a
     * missing one is an {@link IllegalStateException}, never a silently different default.
     */
    public static BucketEncryption fromStored(String stored) {
        String[] lines = stored.split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(STORED_HEADER) || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalStateException("Unknown bucket encryption format (expected '" + STORED_HEADER + "')");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length - 1; i++) {
            int eq = lines[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("Corrupt bucket encryption line " + i);
            }
            String name = lines[i].substring(0, eq);
            if (!Set.of("SSEAlgorithm", "KMSMasterKeyID", "BucketKeyEnabled", "BlockedEncryptionTypes").contains(name)
                    || fields.put(name, URLDecoder.decode(lines[i].substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new IllegalStateException("Unknown or repeated bucket encryption field " + name);
            }
        }
        try {
            Algorithm algorithm = Algorithm.fromWireName(required(fields, "SSEAlgorithm"))
                    .orElseThrow(() -> new IllegalStateException("Unknown stored SSEAlgorithm"));
            String bucketKey = required(fields, "BucketKeyEnabled");
            if (!bucketKey.equals("true") && !bucketKey.equals("false")) {
                throw new IllegalStateException("Corrupt stored BucketKeyEnabled");
            }
            Set<EncryptionType> blocked = EnumSet.noneOf(EncryptionType.class);
            for (String type : required(fields, "BlockedEncryptionTypes").split(",", -1)) {
                blocked.add(EncryptionType.fromWireName(type)
                        .orElseThrow(() -> new IllegalStateException("Unknown stored EncryptionType")));
            }
            return new BucketEncryption(algorithm, fields.get("KMSMasterKeyID"), Boolean.parseBoolean(bucketKey), blocked);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Inconsistent stored bucket encryption: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalStateException("Stored bucket encryption lacks " + name);
        }
        return value;
    }

    // ---- Parsing helpers ----

    private static void onlyChildren(XmlElement element, String... allowed) {
        List<String> names = List.of(allowed);
        for (XmlElement child : element.children()) {
            if (!names.contains(child.name())) {
                throw malformed("Unexpected element " + child.name() + " in " + element.name() + ".");
            }
        }
    }

    private static Optional<XmlElement> single(XmlElement parent, String name) {
        List<XmlElement> found = parent.children(name);
        if (found.size() > 1) {
            throw malformed("Only one " + name + " is allowed in " + parent.name() + ".");
        }
        return found.stream().findFirst();
    }

    private static boolean parseBoolean(String text) {
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw malformed("BucketKeyEnabled must be true or false.");
        };
    }

    private static S3Exception unsupportedAlgorithm(String name) {
        return switch (name) {
            case "aws:kms:dsse", "aws:fsx", "aws:backup" -> new S3Exception(S3Error.NOT_IMPLEMENTED,
                    "The SSEAlgorithm " + name + " is not supported by Coffer; use AES256 or aws:kms.");
            // AWS answers an SSEAlgorithm outside its enum as a schema violation.
            default -> malformed("SSEAlgorithm must be AES256 or aws:kms.");
        };
    }

    private static S3Exception malformed(String why) {
        // AWS's message is fixed; the reason is for Coffer's own logs and tests, not a different code.
        return new S3Exception(S3Error.MALFORMED_XML, S3Error.MALFORMED_XML.defaultMessage() + " (" + why + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketEncryption that && algorithm == that.algorithm && bucketKeyEnabled == that.bucketKeyEnabled
                && Objects.equals(kmsMasterKeyId, that.kmsMasterKeyId)
                && blockedEncryptionTypes.equals(that.blockedEncryptionTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, kmsMasterKeyId, bucketKeyEnabled, blockedEncryptionTypes);
    }

    /** The key id is configuration, not a secret, but it is left out so logs do not collect account key ARNs. */
    @Override
    public String toString() {
        return "BucketEncryption[" + algorithm.wireName() + (kmsMasterKeyId == null ? "" : ", kms key set")
                + ", bucketKey=" + bucketKeyEnabled + ", blocked=" + blockedEncryptionTypes + "]";
    }
}

package dev.coffer.kms.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The content of a digest file, version {@value #VERSION} (docs/formats/audit-trail-v1.md, "Digest
 * files"). The file is the canonical JSON of these fields in this order, then {@code "signature"} as
 * the last field, then a newline. The signature covers the canonical JSON without the signature
 * field; a reader re-encodes what it parsed and refuses the file unless the bytes are identical, so
 * there is exactly one byte string per digest and nothing to canonicalise by guesswork.
 */
record AuditDigest(
        String logFile,
        String logFileSha256,
        long recordCount,
        Instant firstEventTime,
        Instant lastEventTime,
        Instant digestStartTime,
        Instant digestEndTime,
        String previousDigestFile,
        String previousDigestSha256,
        String previousDigestSignature,
        boolean recovered,
        long truncatedBytes,
        String signatureAlgorithm,
        String signingKeyLabel) {
    static final String VERSION = "1";

    private static final List<String> FIELDS = List.of(
            "digestVersion", "logFile", "logFileSha256", "recordCount", "firstEventTime", "lastEventTime",
            "digestStartTime", "digestEndTime", "previousDigestFile", "previousDigestSha256",
            "previousDigestSignature", "recovered", "truncatedBytes", "signatureAlgorithm", "signingKeyLabel",
            "signature");

    AuditDigest {
        AuditRecord.requireNonBlank(logFile, "logFile");
        AuditRecord.requireNonBlank(logFileSha256, "logFileSha256");
        AuditRecord.requireNonBlank(signatureAlgorithm, "signatureAlgorithm");
        AuditRecord.requireNonBlank(signingKeyLabel, "signingKeyLabel");
        if (recordCount < 0 || truncatedBytes < 0) {
            throw new IllegalArgumentException("negative count");
        }
        if ((firstEventTime == null) != (recordCount == 0) || (lastEventTime == null) != (recordCount == 0)) {
            throw new IllegalArgumentException("first/lastEventTime are present exactly when there are records");
        }
        if (digestStartTime == null || digestEndTime == null) {
            throw new IllegalArgumentException("digestStartTime and digestEndTime are required");
        }
        // The format has second precision; truncate here so that encode and parse agree.
        firstEventTime = toSeconds(firstEventTime);
        lastEventTime = toSeconds(lastEventTime);
        digestStartTime = toSeconds(digestStartTime);
        digestEndTime = toSeconds(digestEndTime);
        boolean anyPrevious = previousDigestFile != null || previousDigestSha256 != null || previousDigestSignature != null;
        boolean allPrevious = previousDigestFile != null && previousDigestSha256 != null && previousDigestSignature != null;
        if (anyPrevious && !allPrevious) {
            throw new IllegalArgumentException("previousDigest* fields are all present or all null");
        }
    }

    private static Instant toSeconds(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A parsed digest file: the digest, its signature (base64) and the exact bytes it was read from. */
    record Signed(AuditDigest digest, String signatureBase64, byte[] fileBytes) {
        byte[] signature() {
            return Base64.getDecoder().decode(signatureBase64);
        }

        String fileSha256() {
            return LogScanner.sha256Hex(fileBytes);
        }
    }

    /** The bytes that are signed. */
    byte[] canonicalBytes() {
        return encode(null);
    }

    /** The whole digest file. */
    byte[] fileBytes(String signatureBase64) {
        byte[] json = encode(AuditRecord.requireNonBlank(signatureBase64, "signature"));
        byte[] file = Arrays.copyOf(json, json.length + 1);
        file[json.length] = '\n';
        return file;
    }

    private byte[] encode(String signatureBase64) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = AuditRecordJson.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("digestVersion", VERSION);
            g.writeStringField("logFile", logFile);
            g.writeStringField("logFileSha256", logFileSha256);
            g.writeNumberField("recordCount", recordCount);
            writeTimeOrNull(g, "firstEventTime", firstEventTime);
            writeTimeOrNull(g, "lastEventTime", lastEventTime);
            writeTimeOrNull(g, "digestStartTime", digestStartTime);
            writeTimeOrNull(g, "digestEndTime", digestEndTime);
            writeTextOrNull(g, "previousDigestFile", previousDigestFile);
            writeTextOrNull(g, "previousDigestSha256", previousDigestSha256);
            writeTextOrNull(g, "previousDigestSignature", previousDigestSignature);
            g.writeBooleanField("recovered", recovered);
            g.writeNumberField("truncatedBytes", truncatedBytes);
            g.writeStringField("signatureAlgorithm", signatureAlgorithm);
            g.writeStringField("signingKeyLabel", signingKeyLabel);
            if (signatureBase64 != null) {
                g.writeStringField("signature", signatureBase64);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeTimeOrNull(JsonGenerator g, String name, Instant value) throws IOException {
        writeTextOrNull(g, name, value == null ? null : AuditRecordJson.formatTime(value));
    }

    private static void writeTextOrNull(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /**
     * Parses a digest file strictly.
     *
     * @throws AuditTrailException if it is not a version-1 digest in canonical form
     */
    static Signed parse(byte[] fileBytes) {
        JsonNode root;
        try {
            root = AuditRecordJson.MAPPER.readTree(fileBytes);
        } catch (JsonProcessingException e) {
            throw new AuditTrailException("malformed digest: not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new AuditTrailException("malformed digest: not a JSON object");
        }
        ObjectNode o = (ObjectNode) root;
        JsonNode version = o.get("digestVersion");
        if (version == null || !version.isTextual() || !VERSION.equals(version.textValue())) {
            // Fail closed: a digest of another version may sign different bytes.
            throw new AuditTrailException("unsupported digestVersion " + version);
        }
        Iterator<String> names = o.fieldNames();
        for (String expected : FIELDS) {
            if (!names.hasNext() || !names.next().equals(expected)) {
                throw new AuditTrailException("malformed digest: fields are not exactly " + FIELDS);
            }
        }
        if (names.hasNext()) {
            throw new AuditTrailException("malformed digest: fields are not exactly " + FIELDS);
        }
        Signed signed;
        try {
            AuditDigest digest = new AuditDigest(
                    text(o, "logFile"),
                    text(o, "logFileSha256"),
                    count(o, "recordCount"),
                    time(o, "firstEventTime"),
                    time(o, "lastEventTime"),
                    time(o, "digestStartTime"),
                    time(o, "digestEndTime"),
                    text(o, "previousDigestFile"),
                    text(o, "previousDigestSha256"),
                    text(o, "previousDigestSignature"),
                    bool(o, "recovered"),
                    count(o, "truncatedBytes"),
                    text(o, "signatureAlgorithm"),
                    text(o, "signingKeyLabel"));
            String signature = text(o, "signature");
            Base64.getDecoder().decode(AuditRecord.requireNonBlank(signature, "signature"));
            requireHex(digest.logFileSha256(), "logFileSha256");
            if (digest.previousDigestSha256() != null) {
                requireHex(digest.previousDigestSha256(), "previousDigestSha256");
            }
            signed = new Signed(digest, signature, fileBytes.clone());
        } catch (IllegalArgumentException e) {
            throw new AuditTrailException("malformed digest: " + e.getMessage());
        }
        if (!Arrays.equals(signed.digest().fileBytes(signed.signatureBase64()), fileBytes)) {
            throw new AuditTrailException("malformed digest: not in canonical form (reformatted or edited)");
        }
        return signed;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string or null");
        }
        return n.textValue();
    }

    private static Instant time(ObjectNode o, String field) {
        String t = text(o, field);
        return t == null ? null : AuditRecordJson.parseTime(t, field);
    }

    private static long count(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return n.longValue();
    }

    private static boolean bool(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(field + " must be a boolean");
        }
        return n.booleanValue();
    }

    private static void requireHex(String value, String field) {
        if (value.length() != 64 || !value.equals(value.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException(field + " must be 64 lower-case hex digits");
        }
        HexFormat.of().parseHex(value);
    }
}

package dev.coffer.s3.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What an object carries besides its bytes, stored as sent. {@code headers} are the
 * representation headers (Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
 * Expires); {@code userMetadata} the x-amz-meta-* pairs in the order they came; {@code checksums}
 * algorithm name (e.g. "CRC32") -> base64 value; {@code checksumType} "FULL_OBJECT", "COMPOSITE" or
 * null. {@code envelope} is opaque to the engine (the encryption layer's), may be null, and is
 * copied in and out so no caller can change a stored record.
 */
public record ObjectAttributes(String contentType, Map<String, String> headers, Map<String, String> userMetadata,
                               Map<String, String> checksums, String checksumType, String ownerAccountId,
                               byte[] envelope) {
    public ObjectAttributes {
        headers = Copies.orderedMap(headers, "header");
        userMetadata = Copies.orderedMap(userMetadata, "user metadata");
        checksums = Copies.orderedMap(checksums, "checksum");
        envelope = envelope == null ? null : envelope.clone();
    }

    /** No content type, headers, metadata, checksums, owner or envelope. */
    public static ObjectAttributes empty() {
        return new ObjectAttributes(null, Map.of(), Map.of(), Map.of(), null, null, null);
    }

    @Override
    public byte[] envelope() {
        return envelope == null ? null : envelope.clone();
    }

    /** The same attributes with another envelope (the encryption layer sets it after the fact). */
    public ObjectAttributes withEnvelope(byte[] newEnvelope) {
        return new ObjectAttributes(contentType, headers, userMetadata, checksums, checksumType, ownerAccountId, newEnvelope);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectAttributes other
                && Objects.equals(contentType, other.contentType)
                && headers.equals(other.headers)
                && userMetadata.equals(other.userMetadata)
                && checksums.equals(other.checksums)
                && Objects.equals(checksumType, other.checksumType)
                && Objects.equals(ownerAccountId, other.ownerAccountId)
                && Arrays.equals(envelope, other.envelope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentType, headers, userMetadata, checksums, checksumType, ownerAccountId) * 31
                + Arrays.hashCode(envelope);
    }

    /** Leaves the envelope out: it holds an encrypted data key, which has no place in logs. */
    @Override
    public String toString() {
        return "ObjectAttributes[contentType=" + contentType + ", headers=" + headers + ", userMetadata=" + userMetadata
                + ", checksums=" + checksums + ", checksumType=" + checksumType + ", ownerAccountId=" + ownerAccountId
                + ", envelope=" + (envelope == null ? "none" : envelope.length + " bytes") + "]";
    }
}

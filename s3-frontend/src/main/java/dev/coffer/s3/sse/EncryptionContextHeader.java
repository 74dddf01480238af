package dev.coffer.s3.sse;

import dev.coffer.s3.error.S3Exception;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The {@code x-amz-server-side-encryption-context} header: base64 of the UTF-8 JSON of a
 * string-to-string object (botocore {@code SSEKMSEncryptionContext}). {@link #decode} reads a
 * request's header, {@link #encode} writes the header S3 echoes on PutObject, CopyObject and
 * CreateMultipartUpload.
 */
public final class EncryptionContextHeader {
    public static final String NAME = "x-amz-server-side-encryption-context";

    /** AWS's text for a context that is not base64 of a JSON string map (see docs/S3-SSE.md). */
    static final String MALFORMED_MESSAGE = "The header '" + NAME
            + "' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map";

    /**
     * Names with this prefix (compared ignoring case) are refused: S3 adds {@code aws:s3:arn} itself,
     * and IAM compares {@code kms:EncryptionContext:} condition keys ignoring case, so a client's
     * {@code AWS:S3:ARN} could pass for S3's own.
     */
    static final String RESERVED_PREFIX = "aws:";

    private EncryptionContextHeader() {
    }

    /**
     * The context a request sent, in the order it sent it.
     *
     * @throws S3Exception 400 InvalidArgument when the value is not base64 of UTF-8 JSON of a
     *     string-to-string object, or names a reserved {@code aws:} key
     */
    public static Map<String, String> decode(String headerValue) {
        Map<String, String> context;
        try {
            byte[] utf8 = Base64.getDecoder().decode(headerValue);
            String json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
            context = JsonStringMap.parse(json);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw S3Exception.invalidArgument(MALFORMED_MESSAGE, NAME, headerValue);
        }
        for (String name : context.keySet()) {
            if (name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
                throw S3Exception.invalidArgument("Encryption context keys starting with '" + RESERVED_PREFIX
                        + "' are reserved for AWS use and cannot be supplied in " + NAME, NAME, headerValue);
            }
        }
        return context;
    }

    /**
     * The header value for {@code context}: base64 of its UTF-8 JSON, members in iteration order.
     *
     * @throws IllegalArgumentException when a name or value holds a lone surrogate
     */
    public static String encode(Map<String, String> context) {
        String json = JsonStringMap.write(context);
        try {
            ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(json));
            byte[] bytes = new byte[utf8.remaining()];
            utf8.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("encryption context is not valid Unicode", e);
        }
    }
}

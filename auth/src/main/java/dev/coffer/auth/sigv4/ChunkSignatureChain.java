package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The chain of aws-chunked signatures: each chunk's signature covers its data and the signature
 * before it, starting from the request's seed signature, so chunks can be neither altered, dropped
 * nor reordered. The trailer signature continues the chain from the final (empty) chunk.
 */
final class ChunkSignatureChain {
    private static final String PAYLOAD_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";
    private static final HexFormat HEX = HexFormat.of();

    private final Mac mac;
    private final String payloadPrefix;
    private final String trailerPrefix;
    private String previousSignature;

    ChunkSignatureChain(ChunkSigningContext context) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(context.signingKey().unsafeView(SecretAccess.explicitly()), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
        String dateAndScope = '\n' + context.amzDate() + '\n' + context.scope() + '\n';
        payloadPrefix = PAYLOAD_ALGORITHM + dateAndScope;
        trailerPrefix = TRAILER_ALGORITHM + dateAndScope;
        previousSignature = context.seedSignature();
    }

    /**
     * Checks a chunk's signature against the SHA-256 of its data and moves the chain on.
     *
     * @param dataSha256 the raw SHA-256 of the chunk's data
     * @param claimedSignature the chunk-signature extension, as sent
     */
    void verifyChunk(byte[] dataSha256, String claimedSignature, long chunkIndex) throws AwsChunkedException {
        String stringToSign = payloadPrefix + previousSignature + '\n' + SigV4.EMPTY_SHA256 + '\n' + HEX.formatHex(dataSha256);
        if (!matches(stringToSign, claimedSignature)) {
            throw new AwsChunkedException(AwsChunkedException.Kind.CHUNK_SIGNATURE_MISMATCH,
                    "the signature of chunk " + chunkIndex + " does not match its data and position");
        }
        previousSignature = claimedSignature;
    }

    /** Checks the trailer signature over the canonical trailing headers ({@code name:value\n}, sorted). */
    void verifyTrailer(String canonicalTrailers, String claimedSignature) throws AwsChunkedException {
        String stringToSign = trailerPrefix + previousSignature + '\n' + CanonicalRequest.sha256Hex(canonicalTrailers);
        if (!matches(stringToSign, claimedSignature)) {
            throw new AwsChunkedException(AwsChunkedException.Kind.TRAILER_SIGNATURE_MISMATCH,
                    "the trailer signature does not match the trailing headers");
        }
        previousSignature = claimedSignature;
    }

    /** Compares the raw MACs in constant time; the claim was already checked to be 64 lower-case hex. */
    private boolean matches(String stringToSign, String claimedSignature) {
        byte[] expected = mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, HEX.parseHex(claimedSignature));
    }
}

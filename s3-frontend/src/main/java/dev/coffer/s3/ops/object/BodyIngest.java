package dev.coffer.s3.ops.object;

import dev.coffer.s3.checksum.S3Checksum;
import dev.coffer.s3.checksum.S3ChecksumAlgorithm;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Payload;
import dev.coffer.s3.http.S3Request;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streams an upload body (PutObject, UploadPart) into the store's writer in one pass that also
 * computes the MD5 (the ETag, and Content-MD5; on its own thread for bodies of
 * {@value #BACKGROUND_MD5_BYTES} bytes and more) and the requested x-amz-checksum-*, then checks
 * every integrity claim the client made: the x-amz-content-sha256 or chunk signatures (inside the
 * payload stream), Content-MD5, the checksum header or trailer, and the declared length. Only a
 * body that passed all of them is handed back for commit.
 */
public final class BodyIngest {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** From this declared size on, the MD5 runs beside the rest of the work ({@link BackgroundMd5}). */
    static final long BACKGROUND_MD5_BYTES = 512 * 1024;
    private static final MessageDigest MD5 = lookUpMd5();

    /** Where the checked bytes go: the store's writer, or memory for small request documents. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * What was received: the ETag, the size, and the checksums to store (algorithm name -> base64).
     * {@code md5} is the ETag's 16 bytes: the body's MD5, or random where the ETag is not the MD5.
     */
    public record Received(String etag, long size, byte[] md5, Map<String, String> checksums) {
    }

    private BodyIngest() {
    }

    public static Received ingest(S3Request request, S3Payload payload, Sink writer, long maxBytes) throws IOException {
        return ingest(request, payload, writer, maxBytes, null);
    }

    /**
     * @param required a checksum to compute even when the client sends none (a multipart upload's
     *     algorithm); a client claim of another algorithm is InvalidRequest
     */
    public static Received ingest(S3Request request, S3Payload payload, Sink writer, long maxBytes,
                                  S3ChecksumAlgorithm required) throws IOException {
        return ingest(request, payload, writer, maxBytes, required, true);
    }

    /**
     * @param checksumHeadersDescribeBody false where the x-amz-checksum-* headers describe something
     *     else (CompleteMultipartUpload: the object being made), so they are not checked against the body
     */
    public static Received ingest(S3Request request, S3Payload payload, Sink writer, long maxBytes,
                                  S3ChecksumAlgorithm required, boolean checksumHeadersDescribeBody) throws IOException {
        return ingest(request, payload, writer, maxBytes, required, checksumHeadersDescribeBody, true);
    }

    /**
     * @param md5ETag whether the ETag is the body's MD5 (plain and SSE-S3 objects); false for SSE-KMS
     *     and SSE-C, whose ETag is not (as in AWS): then the MD5 is computed only to check a
     *     Content-MD5 the client sent, and the ETag is random
     */
    public static Received ingest(S3Request request, S3Payload payload, Sink writer, long maxBytes,
                                  S3ChecksumAlgorithm required, boolean checksumHeadersDescribeBody, boolean md5ETag)
            throws IOException {
        long declared = payload.decodedLength();
        if (declared < 0) {
            throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
        }
        if (declared > maxBytes) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE).with("ProposedSize", Long.toString(declared))
                    .with("MaxSizeAllowed", Long.toString(maxBytes));
        }
        byte[] contentMd5 = contentMd5(request.header("Content-MD5"));
        ChecksumClaim claim = ChecksumClaim.of(request, checksumHeadersDescribeBody);
        if (required != null) {
            if (claim == null) {
                claim = new ChecksumClaim(required, null, false);
            } else if (claim.algorithm() != required) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: "
                        + required.algorithmName().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                        + claim.algorithm().algorithmName().toLowerCase(Locale.ROOT));
            }
        }
        boolean wantMd5 = md5ETag || contentMd5 != null;
        MessageDigest md5 = wantMd5 && declared < BACKGROUND_MD5_BYTES ? md5() : null;
        S3Checksum checksum = claim == null ? null : claim.algorithm().newChecksum();
        byte[] buffer = new byte[(int) Math.max(1, Math.min(BUFFER_BYTES, declared))];
        long total = 0;
        InputStream in = payload.stream();
        byte[] digest;
        try (BackgroundMd5 backgroundMd5 = wantMd5 && md5 == null ? new BackgroundMd5(md5()) : null) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > declared) {
                    throw new S3Exception(S3Error.INVALID_REQUEST, "The body is longer than its declared length.");
                }
                if (md5 != null) {
                    md5.update(buffer, 0, n);
                } else if (backgroundMd5 != null) {
                    backgroundMd5.update(buffer, 0, n);
                }
                if (checksum != null) {
                    checksum.update(buffer, 0, n);
                }
                writer.write(buffer, 0, n);
            }
            if (total != declared) {
                throw new S3Exception(S3Error.INCOMPLETE_BODY);
            }
            digest = md5 != null ? md5.digest() : backgroundMd5 != null ? backgroundMd5.digest() : null;
        }
        if (contentMd5 != null && !MessageDigest.isEqual(contentMd5, digest)) {
            throw new S3Exception(S3Error.BAD_DIGEST).with("ExpectedDigest", request.header("Content-MD5"))
                    .with("CalculatedDigest", Base64.getEncoder().encodeToString(digest));
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        if (claim != null) {
            String computed = checksum.base64();
            String expected = claim.expected(payload);
            if (expected != null && !expected.equals(computed)) {
                throw new S3Exception(S3Error.BAD_DIGEST,
                        "The " + claim.algorithm().algorithmName() + " you specified did not match the calculated checksum.");
            }
            checksums.put(claim.algorithm().algorithmName(), computed);
        }
        byte[] etag = md5ETag ? digest : randomETag();
        return new Received("\"" + HexFormat.of().formatHex(etag) + "\"", total, etag, checksums);
    }

    /** An ETag that is not the MD5 of the data (SSE-KMS, SSE-C): 16 random bytes, as opaque as AWS's. */
    static byte[] randomETag() {
        byte[] etag = new byte[16];
        ThreadLocalRandom.current().nextBytes(etag);
        return etag;
    }

    private static byte[] contentMd5(String header) {
        if (header == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(header.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new S3Exception(S3Error.INVALID_DIGEST).with("Content-MD5", header);
    }

    /** A fresh MD5, cloned from one looked up once: a provider lookup per request costs more than hashing 4 KiB. */
    static MessageDigest md5() {
        try {
            return (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's MD5 is cloneable", e);
        }
    }

    private static MessageDigest lookUpMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static void requireWellFormed(S3ChecksumAlgorithm algorithm, String value) {
        try {
            algorithm.decodeValue(value);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Value for " + algorithm.headerName() + " header is invalid.");
        }
    }

    /** Which checksum the client asked for, and where its expected value comes from (a header, a trailer, or nowhere). */
    private record ChecksumClaim(S3ChecksumAlgorithm algorithm, String headerValue, boolean trailer) {
        static ChecksumClaim of(S3Request request, boolean checksumHeadersDescribeBody) {
            ChecksumClaim found = null;
            for (S3ChecksumAlgorithm algorithm : S3ChecksumAlgorithm.values()) {
                String value = checksumHeadersDescribeBody ? request.header(algorithm.headerName()) : null;
                if (value != null) {
                    if (found != null) {
                        throw new S3Exception(S3Error.INVALID_REQUEST,
                                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                    }
                    found = new ChecksumClaim(algorithm, value.trim(), false);
                }
            }
            if (found != null) {
                requireWellFormed(found.algorithm, found.headerValue);
                return found;
            }
            String trailer = request.header("x-amz-trailer");
            if (trailer != null) {
                String name = trailer.trim().toLowerCase(Locale.ROOT);
                S3ChecksumAlgorithm algorithm = S3ChecksumAlgorithm.fromHeaderName(name).orElseThrow(() -> new S3Exception(
                        S3Error.INVALID_REQUEST, "The value specified in the x-amz-trailer header is not supported"));
                return new ChecksumClaim(algorithm, null, true);
            }
            String sdkAlgorithm = request.header("x-amz-sdk-checksum-algorithm");
            if (sdkAlgorithm != null) {
                S3ChecksumAlgorithm algorithm = S3ChecksumAlgorithm.fromAlgorithmName(sdkAlgorithm.trim()).orElseThrow(() ->
                        S3Exception.invalidArgument("Value for x-amz-sdk-checksum-algorithm header is invalid.",
                                "x-amz-sdk-checksum-algorithm", sdkAlgorithm));
                return new ChecksumClaim(algorithm, null, false);
            }
            return null;
        }

        String expected(S3Payload payload) {
            if (!trailer) {
                return headerValue;
            }
            String value = payload.trailers().get(algorithm.headerName());
            if (value == null) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "The x-amz-trailer header names " + algorithm.headerName()
                        + " but the body has no such trailer.");
            }
            requireWellFormed(algorithm, value.trim());
            return value.trim();
        }
    }
}

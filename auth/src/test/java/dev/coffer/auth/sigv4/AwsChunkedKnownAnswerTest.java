package dev.coffer.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * AWS's published worked examples, which no code of ours produced: "Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks" (a 66,560-byte object of 'a' sent as
 * 64 KiB + 1 KiB + the final chunk) and its trailing-headers sibling (the same object with a signed
 * x-amz-checksum-crc32c trailer). The seed signature of the first is checked by Coffer's verifier too.
 */
class AwsChunkedKnownAnswerTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant DATE = Instant.parse("2013-05-24T00:00:00Z");
    private static final String AMZ_DATE = "20130524T000000Z";
    private static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
    private static final int OBJECT_BYTES = 66_560;

    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static final List<String> CHUNK_SIGNATURES = List.of(
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");

    private static final String TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
    private static final List<String> TRAILER_CHUNK_SIGNATURES = List.of(
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992");
    private static final String TRAILER = "x-amz-checksum-crc32c:sOO8/Q==";
    private static final String TRAILER_SIGNATURE = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";

    @Test
    void verifierAcceptsTheDocumentedSeedSignature() throws Exception {
        SigV4Verified<String> verified = verifier().verify(documentedRequest(), "s3", CanonicalRequest.PathStyle.S3);
        assertThat(verified.seedSignature()).isEqualTo(SEED);
        ChunkSigningContext context = ChunkSigningContext.of(verified);
        assertThat(context.amzDate()).isEqualTo(AMZ_DATE);
        assertThat(context.scope()).isEqualTo(SCOPE);
    }

    @Test
    void firstChunkSignatureIsTheDocumentedOne() {
        String firstChunkSha256 = AwsChunkedBodies.sha256(as(65_536), 0, 65_536);
        assertThat(firstChunkSha256).isEqualTo("bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a");
        assertThat(AwsChunkedBodies.chunkSignature(signingKey(), AMZ_DATE, SCOPE, SEED, firstChunkSha256))
                .isEqualTo(CHUNK_SIGNATURES.get(0));
    }

    @Test
    void decodesTheDocumentedChunkedUpload() throws Exception {
        byte[] body = documentedBody(CHUNK_SIGNATURES, "");
        assertThat(body).hasSize(66_824);
        SigV4Verified<String> verified = verifier().verify(documentedRequest(), "s3", CanonicalRequest.PathStyle.S3);
        AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body),
                StreamingPayloadMode.STREAMING_SIGNED, ChunkSigningContext.of(verified), OBJECT_BYTES);
        assertThat(in.readAllBytes()).isEqualTo(as(OBJECT_BYTES));
        assertThat(in.trailers()).isEmpty();
    }

    @Test
    void decodesTheDocumentedChunkedUploadWithASignedTrailer() throws Exception {
        byte[] body = documentedBody(TRAILER_CHUNK_SIGNATURES,
                TRAILER + "\r\nx-amz-trailer-signature:" + TRAILER_SIGNATURE + "\r\n");
        ChunkSigningContext context = new ChunkSigningContext(SecretBytes.copyOf(signingKey()), AMZ_DATE, SCOPE, TRAILER_SEED);
        AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body),
                StreamingPayloadMode.STREAMING_SIGNED_TRAILER, context, OBJECT_BYTES);
        assertThat(in.readAllBytes()).isEqualTo(as(OBJECT_BYTES));
        assertThat(in.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32c", "sOO8/Q=="));
    }

    @Test
    void refusesTheDocumentedChunksUnderTheOtherExamplesSeed() {
        byte[] body = documentedBody(CHUNK_SIGNATURES, "");
        ChunkSigningContext otherSeed = new ChunkSigningContext(SecretBytes.copyOf(signingKey()), AMZ_DATE, SCOPE, TRAILER_SEED);
        AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body),
                StreamingPayloadMode.STREAMING_SIGNED, otherSeed, OBJECT_BYTES);
        assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(AwsChunkedException.class,
                e -> assertThat(e.kind()).isEqualTo(AwsChunkedException.Kind.CHUNK_SIGNATURE_MISMATCH));
    }

    private static byte[] documentedBody(List<String> signatures, String trailerLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(AwsChunkedBodies.ascii("10000;chunk-signature=" + signatures.get(0) + "\r\n"));
        out.writeBytes(as(65_536));
        out.writeBytes(AwsChunkedBodies.ascii("\r\n400;chunk-signature=" + signatures.get(1) + "\r\n"));
        out.writeBytes(as(1024));
        out.writeBytes(AwsChunkedBodies.ascii("\r\n0;chunk-signature=" + signatures.get(2) + "\r\n" + trailerLines + "\r\n"));
        return out.toByteArray();
    }

    private static SigV4Request documentedRequest() {
        String authorization = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + SCOPE
                + ",SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + SEED;
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Host", "s3.amazonaws.com"),
                Map.entry("x-amz-date", AMZ_DATE),
                Map.entry("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                Map.entry("Authorization", authorization),
                Map.entry("x-amz-content-sha256", StreamingPayloadMode.STREAMING_SIGNED.headerValue()),
                Map.entry("Content-Encoding", "aws-chunked"),
                Map.entry("x-amz-decoded-content-length", Integer.toString(OBJECT_BYTES)),
                Map.entry("Content-Length", "66824"));
        return new SigV4Request("PUT", "/examplebucket/chunkObject.txt", "", headers,
                StreamingPayloadMode.STREAMING_SIGNED.headerValue());
    }

    private static SigV4Verifier<String> verifier() {
        CredentialLookup<String> lookup = id -> id.equals(ACCESS_KEY)
                ? Optional.of(new SigningCredential<>(id, SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), "example"))
                : Optional.empty();
        return new SigV4Verifier<>(lookup, "us-east-1", Clock.fixed(DATE, ZoneOffset.UTC));
    }

    private static byte[] signingKey() {
        return SigV4.signingKey(SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), "20130524", "us-east-1", "s3");
    }

    private static byte[] as(int count) {
        byte[] a = new byte[count];
        Arrays.fill(a, (byte) 'a');
        return a;
    }
}

package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * aws-chunked PUTs signed by the AWS SDK v2's own signer (chunk encoding, optionally a CRC32 trailer),
 * passed through Coffer's verifier so the chunk chain starts from a seed signature Coffer accepted.
 */
final class SdkChunkedRequests {
    static final String ACCESS_KEY = "AKIACOFFERTEST000001";
    static final String SECRET = "cofferTestSecretKey/0123456789abcdefghijk";
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    /** The SDK's signer frames every body in chunks of this size. */
    static final int SDK_CHUNK_SIZE_BYTES = 128 * 1024;

    private SdkChunkedRequests() {}

    /** A signed request as the server receives it, with what decoding it needs. */
    record SignedChunkedPut(StreamingPayloadMode mode, byte[] body, long decodedLengthBytes, String trailerHeader,
                            ChunkSigningContext signing, SigV4Verified<String> verified) {
        AwsChunkedInputStream decoder(InputStream in) {
            return new AwsChunkedInputStream(in, mode, signing, decodedLengthBytes);
        }
    }

    /** Signs a PUT of {@code data} in {@code mode} and verifies its seed signature with Coffer's verifier. */
    static SignedChunkedPut sign(StreamingPayloadMode mode, byte[] data) throws SigV4Exception {
        // The SDK leaves the payload unsigned only over HTTPS.
        String scheme = mode == StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER ? "https" : "http";
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create(scheme + "://127.0.0.1:9000/bucket/object.bin"))
                .putHeader("Content-Length", Integer.toString(data.length)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                    .request(http)
                    .payload(ContentStreamProvider.fromByteArray(data))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, mode.signedChunks());
            if (mode.trailer()) {
                r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        SdkHttpRequest out = signed.request();
        String contentSha256 = out.firstMatchingHeader("x-amz-content-sha256").orElseThrow();
        if (StreamingPayloadMode.fromContentSha256(contentSha256) != mode) {
            throw new AssertionError("the SDK signed " + contentSha256 + ", not " + mode);
        }
        byte[] body;
        try (InputStream in = signed.payload().orElseThrow().newStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long decodedLength = Long.parseLong(out.firstMatchingHeader("x-amz-decoded-content-length").orElseThrow());
        String trailer = out.firstMatchingHeader("x-amz-trailer").orElse(null);
        SigV4Verified<String> verified = verifier().verify(toWire(out, contentSha256), "s3", CanonicalRequest.PathStyle.S3);
        ChunkSigningContext signing = mode.signedChunks() ? ChunkSigningContext.of(verified) : null;
        return new SignedChunkedPut(mode, body, decodedLength, trailer, signing, verified);
    }

    static byte[] signingKey() {
        return SigV4.signingKey(SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), "20261128", "us-east-1", "s3");
    }

    private static SigV4Verifier<String> verifier() {
        CredentialLookup<String> lookup = id -> id.equals(ACCESS_KEY)
                ? Optional.of(new SigningCredential<>(id, SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.UTF_8)), "alice"))
                : Optional.empty();
        return new SigV4Verifier<>(lookup, "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static SigV4Request toWire(SdkHttpRequest out, String payloadHash) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean defaultPort = out.port() == (out.protocol().equals("https") ? 443 : 80);
        headers.add(Map.entry("Host", defaultPort ? out.host() : out.host() + ":" + out.port()));
        out.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        return new SigV4Request(out.method().name(), out.encodedPath(), out.encodedQueryParameters().orElse(""),
                headers, payloadHash);
    }
}

package dev.coffer.perf.sigv4;

import dev.coffer.auth.identity.AesGcmSecretSealer;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.sigv4.CanonicalRequest;
import dev.coffer.auth.sigv4.SigV4;
import dev.coffer.auth.sigv4.SigV4Exception;
import dev.coffer.auth.sigv4.SigV4Request;
import dev.coffer.auth.sigv4.SigV4Verified;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.perf.BenchDirectories;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Verifying one signed S3 request through Coffer's {@link SigV4Verifier} with the real
 * {@link IdentityStore} (an IAM user's access key, in a store on disk, found through its credential
 * cache as on a running server), beside the raw cost of the HMAC-SHA256 chain a verifier without a
 * cache would need: the signing-key derivation (four HMACs) and the signature (one HMAC).
 *
 * <p>The requests are signed by the AWS SDK v2 signer, as a client sends them: a GET whose empty
 * payload is signed, a PUT with {@code UNSIGNED-PAYLOAD} (as the SDK sends over HTTPS), and a
 * presigned GET URL. The verifier caches the derived signing key per (secret, scope), so in steady
 * state it does less HMAC work than the chain: {@link #rawSha256AndHmac} is that floor (the canonical
 * request's SHA-256 and one HMAC with a ready key); the rest of the verifier's time is parsing and
 * building the canonical request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SigV4VerifyBenchmark {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String REGION = "us-east-1";
    private static final String HOST = "https://s3.coffer.example:9443";

    private Path directory;
    private IdentityStore identities;
    private SigV4Verifier<Principal> verifier;
    private SigV4Request get;
    private SigV4Request put;
    private SigV4Request presignedGet;

    private Mac mac;
    private MessageDigest sha256;
    private byte[] kSecret;
    private byte[] signingKey;
    private byte[] date;
    private byte[] region;
    private byte[] service;
    private byte[] terminator;
    private byte[] canonicalRequest;
    private byte[] stringToSign;

    @Setup
    public void setUp() throws IOException, GeneralSecurityException, SigV4Exception {
        SecureRandom random = new SecureRandom();
        directory = BenchDirectories.create("coffer-bench-sigv4-");
        identities = IdentityStore.open(directory, new AesGcmSecretSealer(SecretBytes.random(32, random), random),
                random, Clock.fixed(NOW, ZoneOffset.UTC));
        identities.createUser("bench", "/");
        NewAccessKey key = identities.createAccessKey("bench");
        String accessKeyId = key.key().accessKeyId();
        String secret = new String(key.secretAccessKey().toByteArray(SecretAccess.explicitly()), StandardCharsets.US_ASCII);
        verifier = new SigV4Verifier<>(identities, REGION, Clock.fixed(NOW.plusSeconds(2), ZoneOffset.UTC));

        get = sdkSigned(SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(HOST + "/benchmark-bucket/objects/2026/05/some-object-key.bin"))
                .putHeader("Range", "bytes=0-1048575").build(), accessKeyId, secret, false, true);
        put = sdkSigned(SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create(HOST + "/benchmark-bucket/objects/2026/05/some-object-key.bin"))
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Length", "1048576").build(), accessKeyId, secret, false, false);
        presignedGet = sdkSigned(SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(HOST + "/benchmark-bucket/objects/2026/05/some-object-key.bin?versionId=null")).build(),
                accessKeyId, secret, true, false);
        for (SigV4Request r : List.of(get, put, presignedGet)) {
            Principal principal = verifier.verify(r, "s3", CanonicalRequest.PathStyle.S3).principal();
            if (!(principal instanceof Principal.User user) || !user.userName().equals("bench")) {
                throw new IllegalStateException("verified as " + principal + ", not the benchmark user");
            }
        }

        // The raw chain's inputs: the GET's own canonical request and string to sign.
        mac = Mac.getInstance("HmacSHA256");
        sha256 = MessageDigest.getInstance("SHA-256");
        kSecret = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        date = "20261128".getBytes(StandardCharsets.UTF_8);
        region = REGION.getBytes(StandardCharsets.UTF_8);
        service = "s3".getBytes(StandardCharsets.UTF_8);
        terminator = SigV4.TERMINATOR.getBytes(StandardCharsets.UTF_8);
        String canonical = CanonicalRequest.build(get, List.of(get.header("Authorization")
                .replaceAll(".*SignedHeaders=([^,]*).*", "$1").split(";")), CanonicalRequest.PathStyle.S3, null);
        canonicalRequest = canonical.getBytes(StandardCharsets.UTF_8);
        stringToSign = CanonicalRequest.stringToSign(get.header("X-Amz-Date"), "20261128/" + REGION + "/s3/aws4_request",
                canonical).getBytes(StandardCharsets.UTF_8);
        signingKey = hmacChainKey();
        String expected = HexFormat.of().formatHex(hmac(signingKey, stringToSign));
        if (!get.header("Authorization").endsWith("Signature=" + expected)) {
            throw new IllegalStateException("the raw HMAC chain does not reproduce the GET's signature");
        }
    }

    @TearDown
    public void tearDown() {
        identities.close();
        BenchDirectories.delete(directory);
    }

    @Benchmark
    public SigV4Verified<Principal> verifyGet() throws SigV4Exception {
        return verifier.verify(get, "s3", CanonicalRequest.PathStyle.S3);
    }

    @Benchmark
    public SigV4Verified<Principal> verifyPutUnsignedPayload() throws SigV4Exception {
        return verifier.verify(put, "s3", CanonicalRequest.PathStyle.S3);
    }

    @Benchmark
    public SigV4Verified<Principal> verifyPresignedGet() throws SigV4Exception {
        return verifier.verify(presignedGet, "s3", CanonicalRequest.PathStyle.S3);
    }

    /** The reference: derive the signing key (four HMACs) and sign the string to sign (one more). */
    @Benchmark
    public byte[] rawHmacChain() throws GeneralSecurityException {
        return hmac(hmacChainKey(), stringToSign);
    }

    /** The floor with a cached signing key: hash the canonical request, then one HMAC. */
    @Benchmark
    public byte[] rawSha256AndHmac() throws GeneralSecurityException {
        byte[] hash = sha256.digest(canonicalRequest);
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        mac.update(hash);
        return mac.doFinal(stringToSign);
    }

    private byte[] hmacChainKey() throws GeneralSecurityException {
        return hmac(hmac(hmac(hmac(kSecret, date), region), service), terminator);
    }

    private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** Signs with the AWS SDK v2's SigV4 signer (S3 style) and turns the result into what the server receives. */
    private static SigV4Request sdkSigned(SdkHttpRequest http, String accessKeyId, String secret, boolean presign,
                                          boolean signPayload) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                    .request(http)
                    .payload(ContentStreamProvider.fromUtf8String(""))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload);
            if (presign) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
            }
        });
        SdkHttpRequest out = signed.request();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean defaultPort = out.port() == (out.protocol().equals("https") ? 443 : 80);
        headers.add(Map.entry("Host", defaultPort ? out.host() : out.host() + ":" + out.port()));
        // What an SDK client sends besides, unsigned: the server's verifier still walks them.
        headers.add(Map.entry("User-Agent", "aws-sdk-java/2.57.8 md/io#async md/http#NettyNio ua/2.1 os/Linux"));
        headers.add(Map.entry("amz-sdk-invocation-id", "5f1c7d2e-5a4b-4c3d-9e8f-0a1b2c3d4e5f"));
        headers.add(Map.entry("amz-sdk-request", "attempt=1; max=4"));
        out.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        String payloadHash = out.firstMatchingHeader("x-amz-content-sha256")
                .orElse(presign ? SigV4.UNSIGNED_PAYLOAD : SigV4.EMPTY_SHA256);
        return new SigV4Request(out.method().name(), out.encodedPath(), out.encodedQueryParameters().orElse(""),
                headers, payloadHash);
    }
}

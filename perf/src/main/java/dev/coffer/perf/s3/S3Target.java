package dev.coffer.perf.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3CrtAsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server under test and one client configuration driving it: the AWS SDK v2 {@code S3AsyncClient}
 * on the Netty client, path-style, no retries (a failed request fails the run instead of being hidden
 * by a retry), with the SDK's default checksum behaviour or with checksums only when an operation
 * requires them. Each target has its own bucket. The client records, once per operation, the
 * integrity headers it actually sent and got back, so the report says which payload and checksum mode
 * was measured rather than assuming it. A target may also ask for server-side encryption (the same
 * server driven with other request headers): every PUT and GET response is checked for the mode asked
 * for, so a row never measures a mode other than its name says.
 */
final class S3Target implements AutoCloseable {
    /** How the client computes and validates checksums. */
    enum ChecksumMode {
        /**
         * No setting: the SDK's defaults (requestChecksumCalculation and responseChecksumValidation
         * WHEN_SUPPORTED). PUTs go as aws-chunked {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} with a CRC32
         * trailer; GETs ask for the stored checksum and verify it.
         */
        SDK_DEFAULTS,
        /** Both WHEN_REQUIRED: PutObject and GetObject then carry no checksum ({@code UNSIGNED-PAYLOAD}). */
        WHEN_REQUIRED
    }

    /** Which S3 client drives the targets. */
    enum Client {
        /** {@code S3AsyncClient.builder()} on the Netty HTTP client: one request per operation. */
        NETTY("S3AsyncClient, Netty client"),
        /**
         * {@code S3AsyncClient.crtBuilder()}: the AWS CRT's S3 client, which splits objects above its part size
         * (8 MiB) into multipart uploads and parallel ranged GETs. It takes no execution interceptors, so the
         * integrity headers are not recorded, and it cannot trust only Coffer's development CA, so HTTPS
         * targets are refused.
         */
        CRT("S3AsyncClient, CRT-based client (aws-crt " + crtVersion() + ")");

        final String label;

        Client(String label) {
            this.label = label;
        }

        private static String crtVersion() {
            String v = software.amazon.awssdk.crt.CRT.class.getPackage().getImplementationVersion();
            return v == null ? "version unknown" : v;
        }
    }

    /** The client every target is built with; S3Benchmark sets it (from --client) before it makes any target. */
    static volatile Client clientKind = Client.NETTY;

    /** The server-side encryption a target asks for on every PUT (and, for SSE-C, GET). */
    enum Sse {
        /** No encryption headers; the buckets have no default encryption, so objects are stored as sent. */
        NONE("SSE off"),
        /** {@code x-amz-server-side-encryption: AES256}. */
        SSE_S3("SSE-S3"),
        /** {@code aws:kms} with a customer managed key created at setup, no bucket key. */
        SSE_KMS("SSE-KMS"),
        /** {@code aws:kms} with the same key and {@code x-amz-server-side-encryption-bucket-key-enabled: true}. */
        SSE_KMS_BUCKET_KEY("SSE-KMS, bucket key"),
        /** The SSE-C trio (AES256, a fixed 256-bit key, its MD5) on PUT and GET. */
        SSE_C("SSE-C");

        final String label;

        Sse(String label) {
            this.label = label;
        }
    }

    /** The request and response headers that decide what each side computes and checks per byte. */
    private static final List<String> INTEGRITY_HEADERS = List.of("x-amz-content-sha256", "content-encoding",
            "x-amz-trailer", "x-amz-sdk-checksum-algorithm", "x-amz-checksum-mode", "content-md5",
            "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha256",
            "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
            "x-amz-server-side-encryption-bucket-key-enabled", "x-amz-server-side-encryption-customer-algorithm");

    /** The benchmark's SSE-C key: 32 fixed bytes (bench-only), with its base64 and base64 MD5. */
    private static final byte[] CUSTOMER_KEY = "coffer-bench-sse-c-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String CUSTOMER_KEY_BASE64 = Base64.getEncoder().encodeToString(CUSTOMER_KEY);
    private static final String CUSTOMER_KEY_MD5 = md5Base64(CUSTOMER_KEY);

    private final String id;
    private final S3ServerProcess server;
    private final ChecksumMode checksumMode;
    private final S3AsyncClient client;
    private final Map<String, String> observedIntegrityHeaders = new ConcurrentHashMap<>();
    private final Sse sse;
    private final String kmsKeyArn;
    private final boolean https;
    private final Client clientUsed = clientKind;

    S3Target(String id, S3ServerProcess server, ChecksumMode checksumMode, S3Credentials credentials) {
        this(id, server, checksumMode, credentials, Sse.NONE, null, false);
    }

    /**
     * A target asking for {@code sse} ({@code kmsKeyArn} for the SSE-KMS modes), over Coffer's HTTPS port
     * (trusting only its development CA) when {@code https}.
     */
    S3Target(String id, S3ServerProcess server, ChecksumMode checksumMode, S3Credentials credentials, Sse sse,
             String kmsKeyArn, boolean https) {
        this.id = id;
        this.server = server;
        this.checksumMode = checksumMode;
        this.sse = sse;
        this.kmsKeyArn = kmsKeyArn;
        this.https = https;
        if ((sse == Sse.SSE_KMS || sse == Sse.SSE_KMS_BUCKET_KEY) && kmsKeyArn == null) {
            throw new IllegalArgumentException(id + ": SSE-KMS needs a key ARN");
        }
        if (clientUsed == Client.CRT) {
            this.client = crtClient(id, server, checksumMode, credentials, https);
            return;
        }
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(256)
                .maxPendingConnectionAcquires(10_000)
                .connectionAcquisitionTimeout(Duration.ofMinutes(2))
                .readTimeout(Duration.ofMinutes(2))
                .writeTimeout(Duration.ofMinutes(2));
        if (https) {
            TrustManager[] trust = trustOnly(server.dataDir().resolve("tls").resolve("ca.pem"));
            http.tlsTrustManagersProvider(() -> trust);
        }
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .endpointOverride(https ? server.httpsEndpoint() : server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .httpClientBuilder(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new IntegrityHeaderRecorder()));
        if (checksumMode == ChecksumMode.WHEN_REQUIRED) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        this.client = builder.build();
    }

    private static S3AsyncClient crtClient(String id, S3ServerProcess server, ChecksumMode checksumMode, S3Credentials credentials,
                                           boolean https) {
        if (https) {
            throw new IllegalArgumentException(id + ": --client crt cannot drive an HTTPS target (the CRT client cannot trust "
                    + "only Coffer's development CA); leave out the targets that need HTTPS");
        }
        S3CrtAsyncClientBuilder crt = S3AsyncClient.crtBuilder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .maxConcurrency(256)
                .retryConfiguration(r -> r.numRetries(0));
        if (checksumMode == ChecksumMode.WHEN_REQUIRED) {
            crt.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return crt.build();
    }

    /** A short stable id: {@code coffer}, {@code coffer-when-required}, {@code s3proxy}. */
    String id() {
        return id;
    }

    /** What the report calls it, e.g. "Coffer, SDK default checksums" or "Coffer, SSE-KMS, SDK default checksums". */
    String displayName() {
        String encryption = sse == Sse.NONE ? "" : ", " + sse.label;
        if (server.name().startsWith("s3proxy-enc")) {
            encryption = ", encrypted blob store";
        }
        return server.name() + encryption
                + (checksumMode == ChecksumMode.SDK_DEFAULTS ? ", SDK default checksums" : ", checksums WHEN_REQUIRED")
                + (https ? ", over HTTPS" : "") + (clientUsed == Client.CRT ? ", CRT client" : "");
    }

    Sse sse() {
        return sse;
    }

    boolean https() {
        return https;
    }

    /** Adds this target's encryption headers to a PutObject. */
    PutObjectRequest.Builder encryption(PutObjectRequest.Builder b) {
        return switch (sse) {
            case NONE -> b;
            case SSE_S3 -> b.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyArn);
            case SSE_KMS_BUCKET_KEY -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyArn)
                    .bucketKeyEnabled(true);
            case SSE_C -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY_BASE64).sseCustomerKeyMD5(CUSTOMER_KEY_MD5);
        };
    }

    /** Adds the SSE-C trio to a GetObject for an SSE-C target; others send no encryption header on GET. */
    GetObjectRequest.Builder encryption(GetObjectRequest.Builder b) {
        return sse == Sse.SSE_C
                ? b.sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY_BASE64).sseCustomerKeyMD5(CUSTOMER_KEY_MD5)
                : b;
    }

    /** Null when a PUT's answer shows the encryption asked for, else what is wrong. */
    String checkPut(PutObjectResponse r) {
        return check(r.serverSideEncryption(), r.ssekmsKeyId(), r.bucketKeyEnabled(), r.sseCustomerAlgorithm());
    }

    /** Null when a GET's answer shows the object was stored with this target's encryption, else what is wrong. */
    String checkGet(GetObjectResponse r) {
        return check(r.serverSideEncryption(), r.ssekmsKeyId(), r.bucketKeyEnabled(), r.sseCustomerAlgorithm());
    }

    private String check(ServerSideEncryption algorithm, String keyId, Boolean bucketKey, String customerAlgorithm) {
        boolean ok = switch (sse) {
            case NONE -> algorithm == null && customerAlgorithm == null;
            case SSE_S3 -> algorithm == ServerSideEncryption.AES256 && customerAlgorithm == null;
            case SSE_KMS -> algorithm == ServerSideEncryption.AWS_KMS && Objects.equals(keyId, kmsKeyArn)
                    && !Boolean.TRUE.equals(bucketKey);
            case SSE_KMS_BUCKET_KEY -> algorithm == ServerSideEncryption.AWS_KMS && Objects.equals(keyId, kmsKeyArn)
                    && Boolean.TRUE.equals(bucketKey);
            case SSE_C -> algorithm == null && "AES256".equals(customerAlgorithm);
        };
        return ok ? null : displayName() + ": expected " + sse.label + ", the response says server-side-encryption "
                + algorithm + ", key " + keyId + ", bucket key " + bucketKey + ", customer algorithm " + customerAlgorithm;
    }

    private static String md5Base64(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers that trust only the certificate(s) in {@code pem} (Coffer's development CA). */
    private static TrustManager[] trustOnly(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development CA " + pem, e);
        }
    }

    ChecksumMode checksumMode() {
        return checksumMode;
    }

    /** This target's own bucket, so that targets sharing a server never read each other's objects. */
    String bucket() {
        return "bench-" + id;
    }

    S3ServerProcess server() {
        return server;
    }


    S3AsyncClient client() {
        return client;
    }

    /** Operation name to the integrity headers of its first request and response, e.g. for PutObject. */
    Map<String, String> observedIntegrityHeaders() {
        return new TreeMap<>(observedIntegrityHeaders);
    }

    /** Closes the client; the server may serve another target and is closed by its owner. */
    @Override
    public void close() {
        client.close();
    }

    private final class IntegrityHeaderRecorder implements ExecutionInterceptor {
        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (operation == null || observedIntegrityHeaders.containsKey(operation)) {
                return;
            }
            StringBuilder b = new StringBuilder("request");
            for (String h : INTEGRITY_HEADERS) {
                context.httpRequest().firstMatchingHeader(h).ifPresent(v -> b.append(' ').append(h).append(": ").append(v).append(';'));
            }
            b.append(" response");
            for (String h : INTEGRITY_HEADERS) {
                context.httpResponse().firstMatchingHeader(h).ifPresent(v -> b.append(' ').append(h).append(": ").append(v).append(';'));
            }
            observedIntegrityHeaders.putIfAbsent(operation, b.toString());
        }
    }
}

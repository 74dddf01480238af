package dev.coffer.perf.s3;

import java.time.Duration;
import java.util.List;
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

/**
 * A server under test and one client configuration driving it: the AWS SDK v2 {@code S3AsyncClient}
 * on the Netty client, path-style, no retries (a failed request fails the run instead of being hidden
 * by a retry), with the SDK's default checksum behaviour or with checksums only when an operation
 * requires them. Each target has its own bucket. The client records, once per operation, the
 * integrity headers it actually sent and got back, so the report says which payload and checksum mode
 * was measured rather than assuming it.
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

    /** The request and response headers that decide what each side computes and checks per byte. */
    private static final List<String> INTEGRITY_HEADERS = List.of("x-amz-content-sha256", "content-encoding",
            "x-amz-trailer", "x-amz-sdk-checksum-algorithm", "x-amz-checksum-mode", "content-md5",
            "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha256");

    private final String id;
    private final S3ServerProcess server;
    private final ChecksumMode checksumMode;
    private final S3AsyncClient client;
    private final Map<String, String> observedIntegrityHeaders = new ConcurrentHashMap<>();

    S3Target(String id, S3ServerProcess server, ChecksumMode checksumMode, S3Credentials credentials) {
        this.id = id;
        this.server = server;
        this.checksumMode = checksumMode;
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(256)
                        .maxPendingConnectionAcquires(10_000)
                        .connectionAcquisitionTimeout(Duration.ofMinutes(2))
                        .readTimeout(Duration.ofMinutes(2))
                        .writeTimeout(Duration.ofMinutes(2)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new IntegrityHeaderRecorder()));
        if (checksumMode == ChecksumMode.WHEN_REQUIRED) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        this.client = builder.build();
    }

    /** A short stable id: {@code coffer}, {@code coffer-when-required}, {@code s3proxy}. */
    String id() {
        return id;
    }

    /** What the report calls it, e.g. "Coffer, SDK default checksums". */
    String displayName() {
        return server.name() + (checksumMode == ChecksumMode.SDK_DEFAULTS ? ", SDK default checksums" : ", checksums WHEN_REQUIRED");
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

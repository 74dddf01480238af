package dev.coffer.gateway.s3;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** A real gateway serving S3 (and IAM) in this process on free ports, with known root credentials, and clients for it. */
final class S3Gateway implements AutoCloseable {
    static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";

    final Path dataDir;
    final Gateway gateway;
    final URI endpoint;

    S3Gateway(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        ServeConfig config = new ServeConfigResolver(Map.of()).resolve(Map.of(
                ServeSetting.DATA_DIR, dataDir.toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "-1",
                ServeSetting.SERVICES, "s3"));
        gateway = Gateway.start(config, Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
        endpoint = URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
    }

    /** The synchronous client with the SDK's defaults (integrity checksums on), path-style as an IP endpoint needs. */
    S3Client s3(String accessKeyId, String secret) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    S3Client rootS3() {
        return s3(ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    S3AsyncClient rootS3Async() {
        return S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    S3Presigner rootPresigner() {
        return S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .build();
    }

    @Override
    public void close() {
        gateway.close();
    }
}

package dev.coffer.gateway.kms;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** A real gateway in this process on free ports, with known root credentials, and clients for it. */
final class RunningGateway implements AutoCloseable {
    static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";

    final Path dataDir;
    final Gateway gateway;
    final URI endpoint;
    /** The edge over HTTPS, at 127.0.0.1, which the development CA's certificate names. */
    final URI httpsEndpoint;

    RunningGateway(Path dataDir) throws Exception {
        this(dataDir, Map.of());
    }

    /** With {@code settings} over the test defaults (free ports, only the KMS). */
    RunningGateway(Path dataDir, Map<ServeSetting, String> settings) throws Exception {
        this.dataDir = dataDir;
        Map<ServeSetting, String> commandLine = new EnumMap<>(Map.of(
                ServeSetting.DATA_DIR, dataDir.toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "0",
                ServeSetting.SERVICES, "kms"));
        commandLine.putAll(settings);
        ServeConfig config = new ServeConfigResolver(Map.of()).resolve(commandLine);
        gateway = Gateway.start(config, Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
        endpoint = URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
        httpsEndpoint = gateway.httpsEdgeAddress().map(https -> URI.create("https://127.0.0.1:" + https.getPort()))
                .orElse(null);
    }

    KmsClient kms(String accessKeyId, String secret) {
        return kms(endpoint, UrlConnectionHttpClient.create(), accessKeyId, secret);
    }

    KmsClient kms(URI at, SdkHttpClient httpClient, String accessKeyId, String secret) {
        return KmsClient.builder().endpointOverride(at).region(Region.US_EAST_1)
                .httpClient(httpClient)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    KmsClient rootKms() {
        return kms(ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    @Override
    public void close() {
        gateway.close();
    }
}

package dev.coffer.gateway.s3;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** A real gateway serving S3 (and IAM) in this process on free ports, with known root credentials, and clients for it. */
final class S3Gateway implements AutoCloseable {
    static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";

    /** An IAM user and its access key. */
    record User(String arn, String accessKeyId, String secret) {}

    final Path dataDir;
    final Gateway gateway;
    final URI endpoint;
    /** The edge over HTTPS at 127.0.0.1 (which the development CA's certificate names), or null when HTTPS is off. */
    final URI httpsEndpoint;

    /** Plain HTTP only. */
    S3Gateway(Path dataDir) throws Exception {
        this(dataDir, false);
    }

    /** @param https whether the HTTPS edge port also listens, with the development CA's certificate */
    S3Gateway(Path dataDir, boolean https) throws Exception {
        this(dataDir, https, "s3");
    }

    /** @param services what --services says, e.g. {@code s3,kms} for server-side encryption under KMS keys */
    S3Gateway(Path dataDir, boolean https, String services) throws Exception {
        this.dataDir = dataDir;
        ServeConfig config = new ServeConfigResolver(Map.of()).resolve(Map.of(
                ServeSetting.DATA_DIR, dataDir.toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, https ? "0" : "-1",
                ServeSetting.SERVICES, services));
        gateway = Gateway.start(config, Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
        endpoint = URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
        httpsEndpoint = gateway.httpsEdgeAddress().map(a -> URI.create("https://127.0.0.1:" + a.getPort())).orElse(null);
    }

    /** The synchronous client with the SDK's defaults (integrity checksums on), path-style as an IP endpoint needs. */
    S3Client s3(String accessKeyId, String secret) {
        return s3(endpoint, ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build(), true, accessKeyId, secret);
    }

    S3Client s3(User user) {
        return s3(user.accessKeyId(), user.secret());
    }

    S3Client s3(URI at, SdkHttpClient httpClient, boolean pathStyle, String accessKeyId, String secret) {
        return S3Client.builder().endpointOverride(at).region(Region.US_EAST_1).forcePathStyle(pathStyle)
                .httpClient(httpClient)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The root's client on the HTTPS port, trusting only the development CA. */
    S3Client rootS3OverHttps() throws Exception {
        TrustManager[] trustOnlyTheDevelopmentCa = trustManagers(dataDir.resolve("tls").resolve("ca.pem"));
        return s3(httpsEndpoint, ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trustOnlyTheDevelopmentCa).build(),
                true, ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    /** The KMS on the same edge port, as the root. */
    KmsClient rootKms() {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A client for this user on the HTTPS port, trusting only the development CA. */
    S3Client s3OverHttps(User user) throws Exception {
        TrustManager[] trustOnlyTheDevelopmentCa = trustManagers(dataDir.resolve("tls").resolve("ca.pem"));
        return s3(httpsEndpoint, ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trustOnlyTheDevelopmentCa).build(),
                true, user.accessKeyId(), user.secret());
    }

    /** The IAM API on the same edge port, as the root. */
    IamClient rootIam() {
        return IamClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Makes an IAM user with these inline policies (name to JSON) through the IAM API, and an access key for it. */
    User createUser(String userName, Map<String, String> inlinePolicies) {
        try (IamClient iam = rootIam()) {
            String arn = iam.createUser(r -> r.userName(userName)).user().arn();
            inlinePolicies.forEach((name, document) ->
                    iam.putUserPolicy(r -> r.userName(userName).policyName(name).policyDocument(document)));
            AccessKey key = iam.createAccessKey(r -> r.userName(userName)).accessKey();
            return new User(arn, key.accessKeyId(), key.secretAccessKey());
        }
    }

    /** A TLS context trusting only the development CA, for raw HTTPS clients (java.net.http). */
    javax.net.ssl.SSLContext developmentCaTls() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trustManagers(dataDir.resolve("tls").resolve("ca.pem")), null);
        return tls;
    }

    /** Raw signed requests as the root over HTTPS (development CA). */
    HandSignedS3 rootHandSignedOverHttps() throws Exception {
        return new HandSignedS3(httpsEndpoint, ROOT_ACCESS_KEY, ROOT_SECRET, developmentCaTls());
    }

    private static TrustManager[] trustManagers(Path caFile) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
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
        return presigner(ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    S3Presigner presigner(String accessKeyId, String secret) {
        return S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .build();
    }

    @Override
    public void close() {
        gateway.close();
    }
}

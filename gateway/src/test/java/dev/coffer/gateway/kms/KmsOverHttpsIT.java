package dev.coffer.gateway.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.gateway.config.ServeSetting;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The KMS on the HTTPS edge port, driven by the AWS SDK v2 KmsClient and the {@code aws} CLI, each
 * trusting only the certificate authority under test: the development CA, or an operator's CA made
 * here. Every connection stays on loopback.
 */
class KmsOverHttpsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = RunningGateway.ROOT_ACCESS_KEY;
    private static final String ROOT_SECRET = RunningGateway.ROOT_SECRET;

    @TempDir
    Path temp;
    private RunningGateway coffer;

    @AfterEach
    void stop() {
        if (coffer != null) {
            coffer.close();
        }
    }

    private Path developmentCa() {
        return coffer.dataDir.resolve("tls").resolve("ca.pem");
    }

    @Test
    void kmsClientTrustingOnlyTheDevelopmentCaRunsTheEnvelopeFlow() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));

        try (KmsClient kms = coffer.kms(coffer.httpsEndpoint, trusting(developmentCa()), ROOT, ROOT_SECRET)) {
            String keyId = kms.createKey(r -> r.description("over https")).keyMetadata().keyId();
            var dataKey = kms.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32));
            SdkBytes plaintext = kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob())).plaintext();

            assertThat(plaintext).isEqualTo(dataKey.plaintext());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));

        try (KmsClient kms = coffer.kms(coffer.httpsEndpoint, UrlConnectionHttpClient.create(), ROOT, ROOT_SECRET)) {
            assertThatThrownBy(kms::listKeys).hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
    }

    /** The policy AWS recommends against plaintext: deny every call where aws:SecureTransport is false. */
    @Test
    void requestsOnTheHttpsPortAreSecureTransportAndThoseOnTheHttpPortAreNot() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));
        AwsCli iam = new AwsCli(coffer.endpoint, temp);
        ok(iam.run(ROOT, ROOT_SECRET, "iam", "create-user", "--user-name", "tls-only"));
        ok(iam.run(ROOT, ROOT_SECRET, "iam", "put-user-policy", "--user-name", "tls-only", "--policy-name", "tls-only",
                "--policy-document", """
                        {"Version":"2012-10-17","Statement":[
                          {"Effect":"Allow","Action":"kms:*","Resource":"*"},
                          {"Effect":"Deny","Action":"kms:*","Resource":"*",
                           "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""));
        JsonNode key = ok(iam.run(ROOT, ROOT_SECRET, "iam", "create-access-key", "--user-name", "tls-only")).get("AccessKey");
        String userKey = key.get("AccessKeyId").asText();
        String userSecret = key.get("SecretAccessKey").asText();

        try (KmsClient overHttp = coffer.kms(userKey, userSecret);
             KmsClient overHttps = coffer.kms(coffer.httpsEndpoint, trusting(developmentCa()), userKey, userSecret)) {
            assertThat(overHttps.listKeys().keys()).isNotNull();
            assertThatThrownBy(overHttp::listKeys).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void awsCliWorksWithTheCaBundleOptionOrVariableAndFailsVerificationWithout() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));
        AwsCli cli = new AwsCli(coffer.httpsEndpoint, temp);

        String keyId = ok(cli.run(ROOT, ROOT_SECRET, "--ca-bundle", developmentCa().toString(),
                "kms", "create-key", "--description", "cli over https")).at("/KeyMetadata/KeyId").asText();
        JsonNode listed = ok(cli.withEnvironment("AWS_CA_BUNDLE", developmentCa().toString())
                .run(ROOT, ROOT_SECRET, "kms", "list-keys"));
        AwsCli.Result untrusted = cli.run(ROOT, ROOT_SECRET, "kms", "list-keys");

        assertThat(listed.get("Keys").toString()).contains(keyId);
        assertThat(untrusted.exitCode()).isNotZero();
        assertThat(untrusted.stderr()).contains("CERTIFICATE_VERIFY_FAILED");
    }

    @Test
    void servesTheOperatorsCertificateAndMakesNoDevelopmentCa() throws Exception {
        OperatorPki pki = OperatorPki.create(temp);
        coffer = new RunningGateway(temp.resolve("data"), Map.of(
                ServeSetting.TLS_CERT_FILE, pki.chainFile().toString(),
                ServeSetting.TLS_KEY_FILE, pki.keyFile().toString()));

        try (KmsClient kms = coffer.kms(coffer.httpsEndpoint, trusting(pki.caFile()), ROOT, ROOT_SECRET)) {
            assertThat(kms.createKey(r -> { }).keyMetadata().keyId()).isNotBlank();
        }
        try (SSLSocket socket = connect(pki.caFile(), "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(pki.server());
        }
        AwsCli cli = new AwsCli(coffer.httpsEndpoint, temp);
        ok(cli.run(ROOT, ROOT_SECRET, "--ca-bundle", pki.caFile().toString(), "kms", "list-keys"));
        assertThat(coffer.dataDir.resolve("tls")).doesNotExist();
    }

    @Test
    void negotiatesTls13AndHttp11AndRefusesTls11() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));

        try (SSLSocket socket = connect(developmentCa(), "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
        assertThatThrownBy(() -> connect(developmentCa(), "TLSv1.1").close()).isInstanceOf(SSLException.class);
    }

    @Test
    void plainHttpOnTheHttpsPortIsClosedAndTheServerKeepsServing() throws Exception {
        coffer = new RunningGateway(temp.resolve("data"));

        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", coffer.httpsEndpoint.getPort()), 5_000);
            plain.setSoTimeout(10_000);
            OutputStream out = plain.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = readUntilClosed(plain.getInputStream());

            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
        }
        try (KmsClient kms = coffer.kms(coffer.httpsEndpoint, trusting(developmentCa()), ROOT, ROOT_SECRET)) {
            assertThat(kms.listKeys().keys()).isNotNull();
        }
    }

    /** Whatever arrives before the server closes; a timeout fails the test (the server kept it open). */
    private static byte[] readUntilClosed(InputStream in) throws Exception {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the HTTPS port kept a plaintext connection open", e);
        }
    }

    private SSLSocket connect(Path caFile, String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(caFile), new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", coffer.httpsEndpoint.getPort());
        try {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(protocols);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    /** An HTTP client for the SDK that trusts the certificates in {@code caFile} and nothing else. */
    private static SdkHttpClient trusting(Path caFile) throws Exception {
        TrustManager[] trustManagers = trustManagers(caFile);
        return UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trustManagers).build();
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

    private static JsonNode ok(AwsCli.Result result) throws Exception {
        assertThat(result.exitCode()).as("aws exit code; stderr: %s", result.stderr()).isZero();
        return result.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(result.stdout());
    }

    /**
     * An operator's own CA and server certificate (RSA, as many corporate CAs still issue), made here
     * with Bouncy Castle independently of Coffer's development CA, and written as PEM files.
     */
    private record OperatorPki(Path caFile, Path chainFile, Path keyFile, X509Certificate server) {
        static OperatorPki create(Path directory) throws Exception {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, random);
            KeyPair caKeys = rsa.generateKeyPair();
            KeyPair serverKeys = rsa.generateKeyPair();
            X500Name caName = new X500Name("CN=Example Corp Issuing CA,O=Example Corp");
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(1),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys);
            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(2),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(7))),
                    new X500Name("CN=coffer.example.internal"), serverKeys.getPublic())
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "coffer.example.internal"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            X509Certificate server = sign(serverBuilder, caKeys);
            Path caFile = pem(directory.resolve("operator-ca.pem"), List.of(ca));
            Path chainFile = pem(directory.resolve("operator-chain.pem"), List.of(server, ca));
            Path keyFile = pem(directory.resolve("operator-key.pem"), List.of(serverKeys.getPrivate()));
            return new OperatorPki(caFile, chainFile, keyFile, server);
        }

        private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
        }

        /** Traditional PEM (an RSA key as {@code RSA PRIVATE KEY}), the form openssl tools long wrote. */
        private static Path pem(Path file, List<?> objects) throws Exception {
            try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
                for (Object object : objects) {
                    writer.writeObject(object);
                }
            }
            return file;
        }
    }
}

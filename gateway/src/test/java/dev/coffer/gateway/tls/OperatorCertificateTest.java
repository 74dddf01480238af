package dev.coffer.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.gateway.config.TlsCertificateFiles;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's PEM files in the forms operators have them, and the mistakes they make with them. */
class OperatorCertificateTest {
    private static final String CERT_SETTING = "--tls-cert-file (coffer.gateway.tls-cert-file / COFFER_TLS_CERT_FILE): ";
    private static final String KEY_SETTING = "--tls-key-file (coffer.gateway.tls-key-file / COFFER_TLS_KEY_FILE): ";

    @TempDir
    Path temp;

    private final SecureRandom random = new SecureRandom();
    private KeyPair caKeys;
    private X509Certificate ca;

    @BeforeEach
    void issuer() throws Exception {
        caKeys = DevelopmentCertificates.newKeyPair(random);
        ca = DevelopmentCertificates.newCa(caKeys, "operator-test", Instant.now(), random);
    }

    private X509Certificate issue(KeyPair server) throws Exception {
        ServerNames names = ServerNames.of(InetAddress.ofLiteral("127.0.0.1"), Optional.empty(), List.of());
        return DevelopmentCertificates.newServer(server.getPublic(), names, ca, caKeys.getPrivate(), Instant.now(), random);
    }

    private static String traditionalPem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** The form {@code openssl ecparam -genkey} writes: RFC 5915 with the curve and the public point. */
    private static String sec1Pem(KeyPair pair) throws Exception {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) pair.getPrivate()).getS(),
                publicKey.getPublicKeyData(), publicKey.getAlgorithm().getParameters());
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return text.toString();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(temp.resolve(name), content);
    }

    private static ServerCertificate load(Path certificate, Path key) throws TlsSetupException {
        return OperatorCertificate.load(new TlsCertificateFiles(certificate, key), Clock.systemUTC());
    }

    @Test
    void loadsAChainWithATraditionalEcKeyAfterEcParameters() throws Exception {
        KeyPair server = DevelopmentCertificates.newKeyPair(random);
        X509Certificate leaf = issue(server);
        Path chain = file("chain.pem", "subject=CN=Coffer gateway\n" + PemFiles.toPem(List.of(leaf, ca)));
        String sec1 = sec1Pem(server);
        Path key = file("key.pem", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1);

        ServerCertificate loaded = load(chain, key);

        assertThat(loaded.chain()).containsExactly(leaf, ca);
        assertThat(loaded.developmentCaFile()).isEmpty();
        assertThat(loaded.chainFile()).isEqualTo(chain);
        assertThat(loaded.toString()).doesNotContain(sec1.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void loadsAnRsaKeyAndACombinedCertificateAndKeyFile() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048, random);
        KeyPair server = rsa.generateKeyPair();
        X509Certificate leaf = issue(server);
        Path combined = file("combined.pem", PemFiles.toPem(List.of(leaf)) + traditionalPem(server.getPrivate()));

        assertThat(load(combined, combined).leaf()).isEqualTo(leaf);
    }

    @Test
    void aKeyOfAnotherCertificateNamesTheKeySettingAndBothFiles() throws Exception {
        Path chain = file("chain.pem", PemFiles.toPem(List.of(issue(DevelopmentCertificates.newKeyPair(random)))));
        Path key = file("key.pem", PemFiles.toPem(DevelopmentCertificates.newKeyPair(random).getPrivate()));

        assertThatThrownBy(() -> load(chain, key))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage(KEY_SETTING + key + " is not the private key of the first certificate in " + chain
                        + " (CN=Coffer gateway,O=Coffer development CA)");
    }

    @Test
    void aCertificateFileWithoutACertificateNamesTheCertificateSetting() throws Exception {
        KeyPair server = DevelopmentCertificates.newKeyPair(random);
        Path key = file("key.pem", PemFiles.toPem(server.getPrivate()));

        assertThatThrownBy(() -> load(key, key))
                .hasMessage(CERT_SETTING + key + ": contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void aTruncatedCertificateNamesTheCertificateSetting() throws Exception {
        String pem = PemFiles.toPem(List.of(ca));
        Path chain = file("chain.pem", pem.substring(0, pem.length() - 40));
        Path key = file("key.pem", PemFiles.toPem(caKeys.getPrivate()));

        assertThatThrownBy(() -> load(chain, key)).hasMessageStartingWith(CERT_SETTING + chain + ": not valid PEM");
    }

    @Test
    void anEncryptedKeySaysHowToDecryptIt() throws Exception {
        KeyPair server = DevelopmentCertificates.newKeyPair(random);
        Path chain = file("chain.pem", PemFiles.toPem(List.of(issue(server))));
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword("pass".toCharArray()).setRandom(random).build();
        Path key = file("key.pem", traditionalPem(new JcaPKCS8Generator(server.getPrivate(), encryptor)));

        assertThatThrownBy(() -> load(chain, key))
                .hasMessage(KEY_SETTING + key + ": the private key is encrypted; Coffer needs it unencrypted in a file"
                        + " only its user can read (openssl pkey -in ENCRYPTED -out PLAIN)");
    }

    @Test
    void twoKeysInTheKeyFileAreAnError() throws Exception {
        KeyPair server = DevelopmentCertificates.newKeyPair(random);
        Path chain = file("chain.pem", PemFiles.toPem(List.of(issue(server))));
        Path key = file("key.pem", PemFiles.toPem(server.getPrivate()) + PemFiles.toPem(caKeys.getPrivate()));

        assertThatThrownBy(() -> load(chain, key))
                .hasMessage(KEY_SETTING + key + ": must contain exactly one PEM private key, contains 2");
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Path key = file("key.pem", PemFiles.toPem(caKeys.getPrivate()));
        Path missing = temp.resolve("gone.pem");

        assertThatThrownBy(() -> load(missing, key)).hasMessage(CERT_SETTING + missing + ": no such file");
    }
}

package dev.coffer.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The development CA on disk: what it issues, what it keeps, what it renews and what it refuses. */
class DevelopmentCaTest {
    private static final Instant NOW = Instant.parse("2026-11-28T17:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    @TempDir
    Path temp;

    private final SecureRandom random = new SecureRandom();

    private Path tls() {
        return temp.resolve("data").resolve(DevelopmentCa.DIRECTORY);
    }

    private static ServerNames names(String bind) {
        return ServerNames.of(InetAddress.ofLiteral(bind), Optional.of("devbox"), List.of());
    }

    private ServerCertificate prepare(ServerNames names, Instant at) throws Exception {
        Files.createDirectories(temp.resolve("data"));
        return DevelopmentCa.prepare(tls(), names, Clock.fixed(at, ZoneOffset.UTC), random);
    }

    private byte[] bytes(String file) throws Exception {
        return Files.readAllBytes(tls().resolve(file));
    }

    private String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void firstStartCreatesAnEcCaThatMayOnlySignCertificatesForTenYears() throws Exception {
        ServerCertificate served = prepare(names("127.0.0.1"), NOW);

        X509Certificate ca = PemFiles.readCertificates(tls().resolve("ca.pem")).getFirst();
        assertThat(served.developmentCaCreated()).isTrue();
        assertThat(served.developmentCaFile()).contains(tls().resolve("ca.pem"));
        assertThat(ca.getBasicConstraints()).as("a CA, path length 0").isZero();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] keyUsage = ca.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(ca.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                key -> assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256));
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(NOW, ca.getNotAfter().toInstant())).isEqualTo(DevelopmentCertificates.CA_VALIDITY);
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
    }

    @Test
    void serverCertificateIsForServerAuthNamesEveryLocalNameAndIsSignedByTheCa() throws Exception {
        ServerCertificate served = prepare(names("127.0.0.5"), NOW);

        X509Certificate ca = PemFiles.readCertificates(tls().resolve("ca.pem")).getFirst();
        X509Certificate server = served.leaf();
        server.verify(ca.getPublicKey());
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(SAN_DNS, "localhost"), List.of(SAN_DNS, "*.localhost"), List.of(SAN_DNS, "devbox"),
                List.of(SAN_IP, "127.0.0.1"), List.of(SAN_IP, "0:0:0:0:0:0:0:1"), List.of(SAN_IP, "127.0.0.5"));
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofDays(825).plus(DevelopmentCertificates.BACKDATE));
        assertThat(server.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(825)));
        assertThat(server.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(served.chain()).containsExactly(server, ca);
        assertThat(PemFiles.readCertificates(tls().resolve("server.pem"))).containsExactly(server, ca);
        assertThat(KeyMatch.matches(PemFiles.readPrivateKey(tls().resolve("server-key.pem")), server.getPublicKey())).isTrue();
    }

    @Test
    void keysAreOwnerOnlyInAnOwnerOnlyDirectoryAndCertificatesReadable() throws Exception {
        prepare(names("127.0.0.1"), NOW);

        assertThat(mode(tls())).isEqualTo("rwx------");
        assertThat(mode(tls().resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(tls().resolve("server-key.pem"))).isEqualTo("rw-------");
        assertThat(mode(tls().resolve("ca.pem"))).isEqualTo("rw-r--r--");
        assertThat(mode(tls().resolve("server.pem"))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(tls().resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        try (var files = Files.list(tls())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "server.pem", "server-key.pem");
        }
    }

    @Test
    void aLaterStartReusesTheCaAndTheServerCertificate() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        byte[] ca = bytes("ca.pem");
        byte[] caKey = bytes("ca-key.pem");
        byte[] server = bytes("server.pem");
        byte[] serverKey = bytes("server-key.pem");

        ServerCertificate again = prepare(names("127.0.0.1"), NOW.plus(Duration.ofDays(100)));

        assertThat(again.developmentCaCreated()).isFalse();
        assertThat(bytes("ca.pem")).isEqualTo(ca);
        assertThat(bytes("ca-key.pem")).isEqualTo(caKey);
        assertThat(bytes("server.pem")).isEqualTo(server);
        assertThat(bytes("server-key.pem")).isEqualTo(serverKey);
    }

    @Test
    void aNewBindAddressGetsANewServerCertificateFromTheSameCa() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        byte[] ca = bytes("ca.pem");
        byte[] server = bytes("server.pem");

        ServerCertificate moved = prepare(names("127.0.0.7"), NOW);

        assertThat(moved.developmentCaCreated()).isFalse();
        assertThat(bytes("ca.pem")).isEqualTo(ca);
        assertThat(bytes("server.pem")).isNotEqualTo(server);
        assertThat(moved.leaf().getSubjectAlternativeNames()).contains(List.of(SAN_IP, "127.0.0.7"));
        moved.leaf().verify(moved.chain().get(1).getPublicKey());
    }

    @Test
    void aServerCertificateNearItsEndIsReissuedUnderTheSameCa() throws Exception {
        ServerCertificate first = prepare(names("127.0.0.1"), NOW);
        byte[] ca = bytes("ca.pem");

        Instant nearEnd = first.notAfter().minus(DevelopmentCa.RENEW_BEFORE).plusSeconds(1);
        ServerCertificate renewed = prepare(names("127.0.0.1"), nearEnd);

        assertThat(bytes("ca.pem")).isEqualTo(ca);
        assertThat(renewed.notAfter()).isEqualTo(nearEnd.plus(DevelopmentCertificates.SERVER_VALIDITY));
        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
    }

    @Test
    void serverCertificatesNeverOutliveTheCa() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        X509Certificate ca = PemFiles.readCertificates(tls().resolve("ca.pem")).getFirst();

        Instant late = ca.getNotAfter().toInstant().minus(Duration.ofDays(100));
        ServerCertificate server = prepare(names("127.0.0.1"), late);

        assertThat(server.developmentCaCreated()).isFalse();
        assertThat(server.notAfter()).isEqualTo(ca.getNotAfter().toInstant());
    }

    @Test
    void anExpiringCaIsReplacedAndSaysSo() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        byte[] ca = bytes("ca.pem");

        ServerCertificate later = prepare(names("127.0.0.1"), NOW.plus(DevelopmentCertificates.CA_VALIDITY));

        assertThat(later.developmentCaCreated()).isTrue();
        assertThat(bytes("ca.pem")).isNotEqualTo(ca);
    }

    @Test
    void aCorruptCaCertificateStopsTheStartNamingTheFileAndNothingIsOverwritten() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Path caFile = tls().resolve("ca.pem");
        String pem = Files.readString(caFile);
        Files.writeString(caFile, pem.substring(0, pem.length() / 2));
        byte[] caKey = bytes("ca-key.pem");

        assertThatThrownBy(() -> prepare(names("127.0.0.1"), NOW))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("development CA: " + caFile + ": ")
                .hasMessageContaining("remove " + tls());
        assertThat(Files.readString(caFile)).isEqualTo(pem.substring(0, pem.length() / 2));
        assertThat(bytes("ca-key.pem")).isEqualTo(caKey);
    }

    @Test
    void aCorruptServerKeyStopsTheStartNamingTheFileWithoutQuotingIt() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Path keyFile = tls().resolve("server-key.pem");
        String garbled = Files.readString(keyFile).replace('A', '*');
        Files.writeString(keyFile, garbled);

        assertThatThrownBy(() -> prepare(names("127.0.0.1"), NOW))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("development CA: " + keyFile + ": not a valid PEM private key")
                .hasMessageContaining("to have a new server certificate issued")
                .as("no parser exception, which might quote the key, rides along")
                .hasRootCauseInstanceOf(TlsSetupException.class);
    }

    @Test
    void aFileWithNoPemInItIsNamed() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Path chain = tls().resolve("server.pem");
        Files.writeString(chain, "not a certificate\n");

        assertThatThrownBy(() -> prepare(names("127.0.0.1"), NOW))
                .hasMessageStartingWith("development CA: " + chain + ": contains no PEM certificate");
    }

    @Test
    void aCaCertificateWithoutItsKeyIsAnErrorButALoneKeyIsAnInterruptedFirstStart() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Files.delete(tls().resolve("ca-key.pem"));

        assertThatThrownBy(() -> prepare(names("127.0.0.1"), NOW))
                .hasMessageStartingWith(tls().resolve("ca-key.pem") + ": missing");

        Files.delete(tls().resolve("ca.pem"));
        Files.writeString(tls().resolve("ca-key.pem"), "half-written");
        ServerCertificate fresh = prepare(names("127.0.0.1"), NOW);

        assertThat(fresh.developmentCaCreated()).isTrue();
        assertThat(KeyMatch.matches(PemFiles.readPrivateKey(tls().resolve("ca-key.pem")),
                PemFiles.readCertificates(tls().resolve("ca.pem")).getFirst().getPublicKey())).isTrue();
    }

    @Test
    void aCaKeyThatIsNotTheCertificatesIsAnError() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Files.copy(tls().resolve("server-key.pem"), tls().resolve("ca-key.pem"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> prepare(names("127.0.0.1"), NOW))
                .hasMessageStartingWith(tls().resolve("ca-key.pem") + ": not the private key of " + tls().resolve("ca.pem"));
    }

    @Test
    void aServerKeyThatDoesNotMatchGetsTheServerCertificateReissued() throws Exception {
        ServerCertificate first = prepare(names("127.0.0.1"), NOW);
        // An interrupted renewal: the new key was written, the new certificate was not.
        Files.writeString(tls().resolve("server-key.pem"), PemFiles.toPem(DevelopmentCertificates.newKeyPair(random).getPrivate()));

        ServerCertificate again = prepare(names("127.0.0.1"), NOW);

        assertThat(again.leaf()).isNotEqualTo(first.leaf());
        assertThat(KeyMatch.matches(PemFiles.readPrivateKey(tls().resolve("server-key.pem")), again.leaf().getPublicKey())).isTrue();
    }

    @Test
    void temporaryFilesLeftByACrashAreRemoved() throws Exception {
        prepare(names("127.0.0.1"), NOW);
        Path leftover = Files.writeString(tls().resolve(".ca-key.pem.123.tmp"), "partial key");

        prepare(names("127.0.0.1"), NOW);

        assertThat(leftover).doesNotExist();
    }

    @Test
    void noPrivateKeyEverReachesTheLog() throws Exception {
        Logger tlsLogger = (Logger) LoggerFactory.getLogger("dev.coffer.gateway.tls");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        tlsLogger.addAppender(logged);
        Level before = tlsLogger.getLevel();
        tlsLogger.setLevel(Level.ALL);
        try {
            prepare(names("127.0.0.1"), NOW);
            prepare(names("127.0.0.9"), NOW);
            prepare(names("127.0.0.9"), NOW.plus(DevelopmentCertificates.CA_VALIDITY));
        } finally {
            tlsLogger.detachAppender(logged);
            tlsLogger.setLevel(before);
        }

        assertThat(logged.list).isNotEmpty();
        for (String keyFile : List.of("ca-key.pem", "server-key.pem")) {
            String body = Files.readString(tls().resolve(keyFile)).lines()
                    .filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
            assertThat(logged.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains(body));
        }
        assertThat(logged.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("PRIVATE KEY"));
    }

    @Test
    void namesForAWildcardBindAreTheInterfacesNotTheWildcard() {
        ServerNames names = ServerNames.of(InetAddress.ofLiteral("0.0.0.0"), Optional.of("Devbox.Example"),
                List.of(InetAddress.ofLiteral("127.0.0.3")));

        assertThat(names.dnsNames()).containsExactlyInAnyOrder("localhost", "*.localhost", "devbox.example");
        assertThat(names.ipAddresses()).containsExactlyInAnyOrder(InetAddress.ofLiteral("127.0.0.1"),
                InetAddress.ofLiteral("::1"), InetAddress.ofLiteral("127.0.0.3"));
    }

    @Test
    void aHostNameThatIsNotADnsNameIsLeftOutAndABindHostNameIsIn() throws Exception {
        InetAddress bind = InetAddress.getByAddress("coffer.localdomain", new byte[] {127, 0, 0, 1});

        ServerNames names = ServerNames.of(bind, Optional.of("my_box"), List.of());

        assertThat(names.dnsNames()).containsExactlyInAnyOrder("localhost", "*.localhost", "coffer.localdomain");
        assertThat(Arrays.asList(names.ipAddresses().toArray())).hasSize(2);
    }
}

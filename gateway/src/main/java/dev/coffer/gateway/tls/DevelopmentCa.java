package dev.coffer.gateway.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development CA: when the operator gives no certificate, Coffer makes its own CA in
 * {@code <data-dir>/tls} on first start and issues the HTTPS port's certificate from it, so a developer
 * trusts one file ({@code ca.pem}) once and every later certificate with it.
 *
 * <p>On later starts everything is reused. Only the server certificate is reissued, under the same CA,
 * when it is near its end or no longer names the address the gateway listens on; the CA itself is
 * replaced only when it has (nearly) expired, since that makes clients trust a new one.
 *
 * <p>A file that is there but cannot be read as what it should be stops the start with an error naming
 * it: Coffer never overwrites what it does not understand, least of all a CA that clients may trust.
 * The keys are written before their certificates, each atomically, so an interrupted first start leaves
 * at most a CA key without a certificate, which nothing can trust yet and is simply made again.
 */
final class DevelopmentCa {
    static final String DIRECTORY = "tls";
    static final String CA_CERTIFICATE = "ca.pem";
    static final String CA_KEY = "ca-key.pem";
    /** The server certificate, then the CA certificate. */
    static final String SERVER_CHAIN = "server.pem";
    static final String SERVER_KEY = "server-key.pem";
    /** Reissue this long before the end, so a gateway restarted now and then never serves an expired one. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentCa.class);
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private record Ca(X509Certificate certificate, PrivateKey key) {}

    private final Path directory;
    private final ServerNames names;
    private final Clock clock;
    private final SecureRandom random;

    private DevelopmentCa(Path directory, ServerNames names, Clock clock, SecureRandom random) {
        this.directory = directory;
        this.names = names;
        this.clock = clock;
        this.random = random;
    }

    /**
     * The server certificate for {@code names}, from the CA in {@code directory}, creating or renewing
     * what is missing or stale.
     *
     * @throws TlsSetupException naming the file that is unreadable, corrupt or inconsistent
     */
    static ServerCertificate prepare(Path directory, ServerNames names, Clock clock, SecureRandom random)
            throws TlsSetupException {
        return new DevelopmentCa(directory, names, clock, random).prepare();
    }

    private ServerCertificate prepare() throws TlsSetupException {
        createDirectory();
        Instant now = clock.instant();
        Optional<Ca> existing = existingCa(now);
        Ca ca = existing.isPresent() ? existing.get() : createCa(now);
        Optional<ServerCertificate> server = existing.isPresent() ? existingServer(ca, now) : Optional.empty();
        return server.isPresent() ? server.get() : issueServer(ca, now, existing.isEmpty());
    }

    private void createDirectory() throws TlsSetupException {
        try {
            if (!Files.isDirectory(directory)) {
                boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
                Files.createDirectories(directory);
                if (posix) {
                    // Set, not left to the umask: the directory holds the CA's private key.
                    Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
                }
            }
            PemFiles.removeLeftoverTemporaryFiles(directory);
        } catch (IOException e) {
            throw new TlsSetupException("cannot create the development CA directory " + directory + " (" + e + ")", e);
        }
    }

    private Optional<Ca> existingCa(Instant now) throws TlsSetupException {
        Path certificateFile = directory.resolve(CA_CERTIFICATE);
        Path keyFile = directory.resolve(CA_KEY);
        if (!Files.exists(certificateFile)) {
            // Without ca.pem nothing can trust this CA yet: a lone key is an interrupted first start.
            return Optional.empty();
        }
        if (!Files.exists(keyFile)) {
            throw new TlsSetupException(keyFile + ": missing, so the development CA in " + certificateFile
                    + " cannot issue certificates" + startOverHint());
        }
        X509Certificate certificate = caFile(() -> PemFiles.readCertificates(certificateFile).getFirst());
        PrivateKey key = caFile(() -> PemFiles.readPrivateKey(keyFile));
        if (certificate.getBasicConstraints() < 0) {
            throw new TlsSetupException(certificateFile + ": not a CA certificate" + startOverHint());
        }
        if (!keyMatches(key, certificate)) {
            throw new TlsSetupException(keyFile + ": not the private key of " + certificateFile + startOverHint());
        }
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            LOG.warn("the development CA in {} expires {}: making a new one, which clients must trust instead",
                    certificateFile, certificate.getNotAfter().toInstant());
            return Optional.empty();
        }
        return Optional.of(new Ca(certificate, key));
    }

    private Ca createCa(Instant now) throws TlsSetupException {
        try {
            KeyPair keys = DevelopmentCertificates.newKeyPair(random);
            String host = names.dnsNames().stream().filter(name -> !name.contains("localhost"))
                    .findFirst().orElse("localhost");
            X509Certificate certificate = DevelopmentCertificates.newCa(keys, host, now, random);
            write(CA_KEY, PemFiles.toPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
            write(CA_CERTIFICATE, PemFiles.toPem(List.of(certificate)), PemFiles.WORLD_READABLE);
            LOG.info("created a development CA: {}", directory.resolve(CA_CERTIFICATE));
            return new Ca(certificate, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot create the development CA (" + e.getMessage() + ")", e);
        }
    }

    /** The server certificate on disk, if it is still fit to serve; empty when it must be reissued. */
    private Optional<ServerCertificate> existingServer(Ca ca, Instant now) throws TlsSetupException {
        Path chainFile = directory.resolve(SERVER_CHAIN);
        Path keyFile = directory.resolve(SERVER_KEY);
        if (!Files.exists(chainFile) || !Files.exists(keyFile)) {
            return Optional.empty();
        }
        List<X509Certificate> chain = serverFile(() -> PemFiles.readCertificates(chainFile));
        PrivateKey key = serverFile(() -> PemFiles.readPrivateKey(keyFile));
        X509Certificate leaf = chain.getFirst();
        String stale = null;
        if (!keyMatches(key, leaf)) {
            stale = "its key in " + keyFile + " does not match it";
        } else if (!issuedBy(leaf, ca.certificate())) {
            stale = "it was not issued by the CA in " + directory.resolve(CA_CERTIFICATE);
        } else if (leaf.getNotBefore().toInstant().isAfter(now)
                || leaf.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            stale = "it is valid only from " + leaf.getNotBefore().toInstant()
                    + " to " + leaf.getNotAfter().toInstant();
        } else if (!names.coveredBy(leaf)) {
            stale = "it does not name all of " + names.dnsNames() + " " + names.ipAddresses().stream()
                    .map(InetAddress::getHostAddress).toList();
        }
        if (stale != null) {
            LOG.info("issuing a new development server certificate: {} ({})", chainFile, stale);
            return Optional.empty();
        }
        return Optional.of(ServerCertificate.fromDevelopmentCa(key, List.of(leaf, ca.certificate()), chainFile,
                directory.resolve(CA_CERTIFICATE), false));
    }

    private ServerCertificate issueServer(Ca ca, Instant now, boolean caCreated) throws TlsSetupException {
        try {
            KeyPair keys = DevelopmentCertificates.newKeyPair(random);
            X509Certificate leaf = DevelopmentCertificates.newServer(keys.getPublic(), names, ca.certificate(),
                    ca.key(), now, random);
            List<X509Certificate> chain = List.of(leaf, ca.certificate());
            write(SERVER_KEY, PemFiles.toPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
            write(SERVER_CHAIN, PemFiles.toPem(chain), PemFiles.WORLD_READABLE);
            return ServerCertificate.fromDevelopmentCa(keys.getPrivate(), chain, directory.resolve(SERVER_CHAIN),
                    directory.resolve(CA_CERTIFICATE), caCreated);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot issue the development server certificate (" + e.getMessage() + ")", e);
        }
    }

    private void write(String fileName, String pem, Set<PosixFilePermission> permissions) throws TlsSetupException {
        Path file = directory.resolve(fileName);
        try {
            PemFiles.writeAtomically(file, pem, permissions);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write " + file + " (" + e + ")", e);
        }
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            return KeyMatch.matches(key, certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private String startOverHint() {
        return "; to start over with a new development CA, remove " + directory
                + " (clients must then trust the new " + CA_CERTIFICATE + ")";
    }

    private <T> T caFile(PemFiles.Read<T> read) throws TlsSetupException {
        try {
            return read.read();
        } catch (TlsSetupException e) {
            throw new TlsSetupException("development CA: " + e.getMessage() + startOverHint(), e);
        }
    }

    private <T> T serverFile(PemFiles.Read<T> read) throws TlsSetupException {
        try {
            return read.read();
        } catch (TlsSetupException e) {
            throw new TlsSetupException("development CA: " + e.getMessage() + "; remove "
                    + directory.resolve(SERVER_CHAIN) + " and " + directory.resolve(SERVER_KEY)
                    + " to have a new server certificate issued", e);
        }
    }
}

package dev.coffer.gateway.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTPS port presents: a certificate chain (server certificate first) and its private key,
 * either the operator's or issued by the development CA. The key is reachable only inside this package,
 * where the TLS context is built, and {@link #toString} never shows it.
 */
public final class ServerCertificate {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final Path chainFile;
    private final Path developmentCaFile;
    private final boolean developmentCaCreated;

    private ServerCertificate(PrivateKey privateKey, List<X509Certificate> chain, Path chainFile,
                              Path developmentCaFile, boolean developmentCaCreated) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.chain = List.copyOf(chain);
        this.chainFile = Objects.requireNonNull(chainFile, "chainFile");
        this.developmentCaFile = developmentCaFile;
        this.developmentCaCreated = developmentCaCreated;
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the server certificate");
        }
    }

    static ServerCertificate fromOperator(PrivateKey privateKey, List<X509Certificate> chain, Path chainFile) {
        return new ServerCertificate(privateKey, chain, chainFile, null, false);
    }

    static ServerCertificate fromDevelopmentCa(PrivateKey privateKey, List<X509Certificate> chain, Path chainFile,
                                               Path caFile, boolean caCreated) {
        return new ServerCertificate(privateKey, chain, chainFile, Objects.requireNonNull(caFile, "caFile"), caCreated);
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The server certificate, then the certificates that issued it, as sent in the handshake. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The server certificate. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The PEM file the chain came from: the operator's, or the development CA's {@code server.pem}. */
    public Path chainFile() {
        return chainFile;
    }

    /** The development CA's certificate, which clients must trust, when the certificate is the CA's. */
    public Optional<Path> developmentCaFile() {
        return Optional.ofNullable(developmentCaFile);
    }

    /** Whether the development CA was created by this start, so no client can trust it yet. */
    public boolean developmentCaCreated() {
        return developmentCaCreated;
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + leaf().getSubjectX500Principal().getName() + ", until " + notAfter()
                + ", from " + chainFile + "]";
    }
}

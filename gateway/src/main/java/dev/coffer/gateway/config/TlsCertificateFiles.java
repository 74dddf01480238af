package dev.coffer.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The operator's certificate for the HTTPS port: PEM files, given together. Holds paths only; the
 * key is read when the HTTPS listener starts, so it never sits in the configuration or its
 * {@code toString}.
 *
 * @param certificateChainFile the server certificate, then any intermediates
 * @param privateKeyFile       the server certificate's private key, unencrypted
 */
public record TlsCertificateFiles(Path certificateChainFile, Path privateKeyFile) {
    public TlsCertificateFiles {
        Objects.requireNonNull(certificateChainFile, "certificateChainFile");
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    }
}

package dev.coffer.gateway.tls;

import static dev.coffer.gateway.config.ServeSetting.TLS_CERT_FILE;
import static dev.coffer.gateway.config.ServeSetting.TLS_KEY_FILE;

import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.config.TlsCertificateFiles;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's certificate and key ({@code --tls-cert-file}, {@code --tls-key-file}), loaded and
 * checked to belong together, with errors that name the setting to fix.
 */
final class OperatorCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorCertificate.class);

    private OperatorCertificate() {}

    static ServerCertificate load(TlsCertificateFiles files, Clock clock) throws TlsSetupException {
        List<X509Certificate> chain = forSetting(TLS_CERT_FILE,
                () -> PemFiles.readCertificates(files.certificateChainFile()));
        PrivateKey key = forSetting(TLS_KEY_FILE, () -> PemFiles.readPrivateKey(files.privateKeyFile()));
        X509Certificate leaf = chain.getFirst();
        boolean matches;
        try {
            matches = KeyMatch.matches(key, leaf.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(TLS_KEY_FILE.displayName() + ": " + files.privateKeyFile() + ": "
                    + e.getMessage());
        }
        if (!matches) {
            throw new TlsSetupException(TLS_KEY_FILE.displayName() + ": " + files.privateKeyFile()
                    + " is not the private key of the first certificate in " + files.certificateChainFile()
                    + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
        // Served anyway: refusing to start would take plain HTTP and the admin port down with it.
        if (leaf.getNotAfter().toInstant().isBefore(clock.instant())) {
            LOG.warn("the HTTPS certificate in {} expired at {}; clients will refuse it", files.certificateChainFile(),
                    leaf.getNotAfter().toInstant());
        }
        return ServerCertificate.fromOperator(key, chain, files.certificateChainFile());
    }

    private static <T> T forSetting(ServeSetting setting, PemFiles.Read<T> read) throws TlsSetupException {
        try {
            return read.read();
        } catch (TlsSetupException e) {
            throw new TlsSetupException(setting.displayName() + ": " + e.getMessage(), e);
        }
    }
}

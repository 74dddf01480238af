package dev.coffer.gateway.tls;

import dev.coffer.gateway.config.ServeConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the HTTPS edge port: the certificate it serves and the Netty server context built from it.
 * TLS 1.3 and 1.2 only (older versions have known attacks and no AWS SDK needs them), ALPN offering
 * {@code http/1.1} only (the edge speaks HTTP/1.1), and OpenSSL (BoringSSL through netty-tcnative) when
 * its native library loads, as it handshakes and encrypts with less CPU than the JDK's provider; the
 * JDK's provider otherwise, so the same build runs where the native library does not.
 */
public final class EdgeTls {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeTls.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext sslContext;
    private final ServerCertificate certificate;
    private final SslProvider provider;

    private EdgeTls(SslContext sslContext, ServerCertificate certificate, SslProvider provider) {
        this.sslContext = sslContext;
        this.certificate = certificate;
        this.provider = provider;
    }

    /**
     * The operator's certificate if {@code config} names one, else the development CA's in
     * {@code <data-dir>/tls}, created or renewed as needed.
     *
     * @throws TlsSetupException naming the setting or file to fix
     */
    public static EdgeTls prepare(ServeConfig config) throws TlsSetupException {
        Clock clock = Clock.systemUTC();
        ServerCertificate certificate = config.tlsCertificate().isPresent()
                ? OperatorCertificate.load(config.tlsCertificate().get(), clock)
                : DevelopmentCa.prepare(config.dataDir().resolve(DevelopmentCa.DIRECTORY),
                        ServerNames.forThisMachine(config.bindAddress()), clock, new SecureRandom());
        return create(certificate, preferredProvider());
    }

    /** OpenSSL where netty-tcnative loads, else the JDK. */
    static SslProvider preferredProvider() {
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        // Expected where no native library is shipped: a line, not a stack trace, unless debugging.
        LOG.info("OpenSSL (netty-tcnative) unavailable, TLS through the JDK: {}", OpenSsl.unavailabilityCause().toString());
        LOG.debug("why OpenSSL is unavailable", OpenSsl.unavailabilityCause());
        return SslProvider.JDK;
    }

    static EdgeTls create(ServerCertificate certificate, SslProvider provider) throws TlsSetupException {
        try {
            SslContext context = SslContextBuilder
                    .forServer(certificate.privateKey(), certificate.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            // The only combination both providers support on a server.
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new EdgeTls(context, certificate, provider);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("cannot set up TLS with the certificate from " + certificate.chainFile()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    /** The server context every HTTPS connection's SslHandler comes from. */
    public SslContext sslContext() {
        return sslContext;
    }

    public ServerCertificate certificate() {
        return certificate;
    }

    /** What does the TLS, for the start-up banner: "OpenSSL (BoringSSL)" or "JDK". */
    public String providerName() {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }
}

package dev.coffer.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server context with each provider, handshaking in memory with the JDK's client: the versions and
 * the application protocol it agrees to. The HTTPS integration tests cover the real port.
 */
class EdgeTlsTest {
    @TempDir
    Path temp;

    private ServerCertificate certificate;

    @BeforeEach
    void developmentCertificate() throws Exception {
        certificate = DevelopmentCa.prepare(temp.resolve("tls"),
                ServerNames.of(InetAddress.ofLiteral("127.0.0.1"), Optional.empty(), List.of()),
                Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void openSslIsAvailableOnThisKindOfMachineAndPreferred() {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative-boringssl-static loads").isTrue();
        assertThat(EdgeTls.preferredProvider()).isEqualTo(SslProvider.OPENSSL);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void negotiatesTls13AndHttp11WithAClientThatAlsoOffersH2(SslProvider provider) throws Exception {
        SSLEngine client = client("TLSv1.3", "TLSv1.2");
        SSLParameters parameters = client.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        client.setSSLParameters(parameters);

        handshake(EdgeTls.create(certificate, provider), client);

        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(client.getApplicationProtocol()).isEqualTo("http/1.1");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void acceptsATls12OnlyClient(SslProvider provider) throws Exception {
        SSLEngine client = client("TLSv1.2");

        handshake(EdgeTls.create(certificate, provider), client);

        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void refusesTls11(SslProvider provider) throws Exception {
        SSLEngine client = client("TLSv1.1");

        assertThatThrownBy(() -> handshake(EdgeTls.create(certificate, provider), client))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void namesWhatDoesTheTls() throws Exception {
        assertThat(EdgeTls.create(certificate, SslProvider.JDK).providerName()).isEqualTo("JDK");
        assertThat(EdgeTls.create(certificate, SslProvider.OPENSSL).providerName()).startsWith("OpenSSL (BoringSSL");
    }

    /** A JDK client engine that trusts only the development CA and allows exactly {@code protocols}. */
    private SSLEngine client(String... protocols) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("coffer-dev-ca", certificate.chain().getLast());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(protocols);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Runs both engines against each other through two buffers until neither is handshaking. */
    private static void handshake(EdgeTls tls, SSLEngine client) throws SSLException {
        SSLEngine server = tls.sslContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
            ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
            ByteBuffer application = ByteBuffer.allocate(64 * 1024);
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 20 && (handshaking(client) || handshaking(server)); round++) {
                step(client, toServer, toClient, application);
                step(server, toClient, toServer, application);
            }
            assertThat(handshaking(client) || handshaking(server)).as("handshake finished").isFalse();
        } finally {
            ReferenceCountUtil.release(server);
        }
    }

    private static boolean handshaking(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer outbound, ByteBuffer inbound, ByteBuffer application)
            throws SSLException {
        runTasks(engine);
        engine.wrap(ByteBuffer.allocate(0), outbound);
        inbound.flip();
        while (inbound.hasRemaining()) {
            int before = inbound.remaining();
            engine.unwrap(inbound, application);
            runTasks(engine);
            if (inbound.remaining() == before) {
                break;
            }
        }
        inbound.compact();
        application.clear();
        runTasks(engine);
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}

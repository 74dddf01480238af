package dev.coffer.kms.hsm;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * Self-signed certificates for token-held key pairs. A PKCS#11 key store keeps a private key only
 * together with a certificate; the certificate is just the container that makes the pair persistent
 * and carries the public key. The private key signs its own certificate inside the token, through
 * {@link Signature} of the token's provider, so it never has to leave.
 */
final class SelfSignedCertificates {
    /** Long enough never to matter: nothing validates these certificates' dates. */
    private static final Duration VALIDITY = Duration.ofDays(365L * 50);

    private SelfSignedCertificates() {}

    static X509Certificate create(KeyPair pair, Provider signingProvider, String label, SecureRandom random)
            throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Coffer HSM signing key")
                .addRDN(BCStyle.CN, label)
                .build();
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
        Signature signature = Signature.getInstance(EcP256.SIGNATURE_ALGORITHM, signingProvider);
        signature.initSign(pair.getPrivate());
        try {
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                    name, serial, Date.from(now), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                    .build(new JcaSignatureContentSigner(signature));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (RuntimeOperatorException e) {
            throw new SignatureException("signing the certificate inside the token failed", e.getCause());
        }
    }

    /** Bouncy Castle's signer port over an initialised JCA {@link Signature} (here: the token's). */
    private static final class JcaSignatureContentSigner implements ContentSigner {
        private final Signature signature;
        private final AlgorithmIdentifier algorithm =
                new DefaultSignatureAlgorithmIdentifierFinder().find(EcP256.SIGNATURE_ALGORITHM);
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    signature.update(b, off, len);
                } catch (SignatureException e) {
                    throw new IOException(e);
                }
            }
        };

        JcaSignatureContentSigner(Signature initialisedSignature) {
            this.signature = initialisedSignature;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public byte[] getSignature() {
            try {
                return signature.sign();
            } catch (SignatureException e) {
                throw new RuntimeOperatorException("token signature failed", e);
            }
        }
    }
}

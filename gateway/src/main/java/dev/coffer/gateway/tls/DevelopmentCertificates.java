package dev.coffer.gateway.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the development CA's certificates: pure functions of keys, names and a time. Both keys are EC
 * P-256 with ECDSA-SHA256 signatures, which every TLS client accepts. The extensions are the ones strict
 * verifiers (OpenSSL's X509_V_FLAG_X509_STRICT, Go, browsers) require: a critical CA basic constraint and
 * key usage on the CA, key identifiers on both, and on the server certificate subject alternative names
 * and the serverAuth extended key usage.
 */
final class DevelopmentCertificates {
    static final Duration CA_VALIDITY = Duration.ofDays(3652);
    /** The longest validity Apple platforms accept for a server certificate from a CA a user trusted. */
    static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    /** Issued an hour in the past, so a client whose clock lags a little still accepts it. */
    static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final String CURVE = "secp256r1";
    /** 159 random bits: positive, at most 20 bytes (RFC 5280), and unpredictable. */
    private static final int SERIAL_BITS = 159;

    private DevelopmentCertificates() {}

    static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE), random);
        return generator.generateKeyPair();
    }

    /** A self-signed root that may issue server certificates and nothing below them (path length 0). */
    static X509Certificate newCa(KeyPair ca, String hostLabel, Instant now, SecureRandom random)
            throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Coffer development CA")
                // Host and date tell several development CAs apart in a trust store.
                .addRDN(BCStyle.CN, "Coffer development CA " + hostLabel + " "
                        + LocalDate.ofInstant(now, ZoneOffset.UTC))
                .build();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = builder(name, name, ca.getPublic(), now, now.plus(CA_VALIDITY), random);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(ca.getPublic()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode a CA certificate extension", e);
        }
        return sign(builder, ca.getPrivate());
    }

    /** A server certificate for {@code names}, valid {@link #SERVER_VALIDITY} but never beyond the CA. */
    static X509Certificate newServer(PublicKey server, ServerNames names, X509Certificate ca, PrivateKey caKey,
                                     Instant now, SecureRandom random) throws GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Coffer development CA")
                .addRDN(BCStyle.CN, "Coffer gateway")
                .build();
        Instant notAfter = now.plus(SERVER_VALIDITY);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = builder(issuer, subject, server, now, notAfter, random);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(server))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.getPublicKey()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode a server certificate extension", e);
        }
        return sign(builder, caKey);
    }

    private static GeneralNames alternativeNames(ServerNames names) {
        List<GeneralName> general = new ArrayList<>();
        for (String dns : names.dnsNames()) {
            general.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (InetAddress ip : names.ipAddresses()) {
            general.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
        }
        return new GeneralNames(general.toArray(GeneralName[]::new));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant now,
                                                    Instant notAfter, SecureRandom random) {
        BigInteger serial = new BigInteger(SERIAL_BITS, random).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }
}

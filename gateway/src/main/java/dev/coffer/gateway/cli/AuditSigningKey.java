package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.HsmConfig;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.kms.HsmAuditSigner;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.HsmException;
import dev.coffer.kms.hsm.Pkcs11Hsm;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public key that verifies the KMS audit trail's digest signatures: read from the HSM the gateway
 * signs with, or from a PEM or DER file that was exported from it (so an auditor can verify on another
 * machine, without the HSM, and while the gateway runs).
 */
final class AuditSigningKey {
    static final String LABEL = HsmAuditSigner.DEFAULT_LABEL;
    /** A DER SubjectPublicKeyInfo of P-256 is 91 bytes; anything much larger is not a public key. */
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final int PEM_LINE_LENGTH = 64;

    private AuditSigningKey() {}

    /**
     * Opens the configured HSM, reads the public half of the audit signing key, and closes the HSM
     * again. Creates nothing: a software HSM directory that does not exist, or an HSM without the
     * key, is reported rather than initialised (signingPublicKey would create the key pair).
     */
    static PublicKey fromHsm(ServeConfig config) {
        try (Hsm hsm = open(config)) {
            if (!hsm.containsKey(LABEL)) {
                throw new CommandFailedException("the HSM (" + hsm.description() + ") has no audit signing key "
                        + LABEL + " yet: the gateway creates it when it seals its first audit log file");
            }
            return hsm.signingPublicKey(LABEL);
        } catch (HsmException e) {
            throw new CommandFailedException("cannot read the audit signing key from the HSM: " + e.getMessage(), e);
        }
    }

    private static Hsm open(ServeConfig config) {
        return switch (config.hsm()) {
            case HsmConfig.Software software -> openSoftware(config.dataDir().resolve("hsm"));
            case HsmConfig.Pkcs11 p -> {
                try {
                    yield Pkcs11Hsm.open(p.library(), p.tokenLabel(), p.pinFile());
                } catch (HsmException | RuntimeException e) {
                    throw new CommandFailedException("cannot open the HSM (" + ServeSetting.HSM.option() + " pkcs11): "
                            + e.getMessage(), e);
                }
            }
        };
    }

    private static Hsm openSoftware(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CommandFailedException("no software HSM at " + directory + ": has the gateway run with this "
                    + ServeSetting.DATA_DIR.option() + "? (With a PKCS#11 token, give " + ServeSetting.HSM.option()
                    + " pkcs11 and its options.)");
        }
        try {
            return SoftwareHsm.open(directory);
        } catch (HsmException | RuntimeException e) {
            // One process at a time may open the software HSM, and a running gateway holds it.
            boolean inUse = String.valueOf(e.getMessage()).contains("already open");
            throw new CommandFailedException(inUse
                    ? "the software HSM at " + directory + " is in use, probably by a running 'coffer serve': "
                            + "verify with --public-key FILE instead (export it with 'coffer audit public-key' "
                            + "while the gateway is stopped)"
                    : "cannot open the software HSM at " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a public key from a PEM ({@code -----BEGIN PUBLIC KEY-----}) or DER SubjectPublicKeyInfo file.
     *
     * @throws ConfigException if the file cannot be read or holds no EC public key
     */
    static PublicKey fromFile(String option, Path file) {
        byte[] content;
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw problem(option, file, "larger than " + MAX_KEY_FILE_BYTES + " bytes, not a public key file");
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(option, file, "cannot read it (" + e + ")");
        }
        byte[] der = content;
        Matcher pem = PEM.matcher(new String(content, StandardCharsets.US_ASCII));
        if (pem.find()) {
            der = Base64.getMimeDecoder().decode(pem.group(1));
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw problem(option, file, "not an EC public key in PEM (BEGIN PUBLIC KEY) or DER SubjectPublicKeyInfo form");
        }
    }

    private static ConfigException problem(String option, Path file, String reason) {
        return new ConfigException(List.of(option + " " + file + ": " + reason));
    }

    /** The key as a PEM {@code PUBLIC KEY} block (RFC 7468), ending in a newline. */
    static String pem(PublicKey key) {
        String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
        StringBuilder pem = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
        for (int i = 0; i < base64.length(); i += PEM_LINE_LENGTH) {
            pem.append(base64, i, Math.min(base64.length(), i + PEM_LINE_LENGTH)).append('\n');
        }
        return pem.append("-----END PUBLIC KEY-----\n").toString();
    }

    /** SHA-256 of the DER encoding, in hex: what an auditor compares with the fingerprint they were given. */
    static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

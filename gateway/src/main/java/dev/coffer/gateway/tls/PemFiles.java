package dev.coffer.gateway.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of the HTTPS port. Reading takes what operators have: certificates
 * and keys in one file or two, PKCS#8 or the traditional {@code EC}/{@code RSA PRIVATE KEY} forms, with
 * or without {@code EC PARAMETERS} and explanatory text. Writing is atomic (temporary file, fsync,
 * rename), so a crash leaves the old file or the new one, never half a key.
 *
 * <p>Errors name the file. Those about a private key say what is wrong but carry neither the parser's
 * message nor its exception: either might quote the bytes they choked on.
 */
final class PemFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private PemFiles() {}

    /** A read whose error a caller wraps with what the file is for. */
    interface Read<T> {
        T read() throws TlsSetupException;
    }

    /** Every certificate in {@code file}, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file) throws TlsSetupException {
        List<Object> objects;
        try {
            objects = parse(read(file));
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(file + ": not valid PEM (" + e.getMessage() + ")", e);
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : objects) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsSetupException(file + ": not a valid X.509 certificate (" + e.getMessage() + ")", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsSetupException(file + ": contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }

    /** The one unencrypted private key in {@code file}; certificates beside it are skipped. */
    static PrivateKey readPrivateKey(Path file) throws TlsSetupException {
        List<Object> objects;
        try {
            objects = parse(read(file));
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(file + ": not a valid PEM private key");
        }
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : objects) {
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsSetupException(file + ": the private key is encrypted; Coffer needs it unencrypted"
                        + " in a file only its user can read (openssl pkey -in ENCRYPTED -out PLAIN)");
            }
            try {
                if (object instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (object instanceof PEMKeyPair pair) {
                    // The private half alone: an EC key's public point is optional (RFC 5915).
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
            } catch (IOException | RuntimeException e) {
                throw new TlsSetupException(file + ": not a valid private key");
            }
        }
        if (keys.size() != 1) {
            throw new TlsSetupException(file + ": must contain exactly one PEM private key, contains " + keys.size());
        }
        return keys.getFirst();
    }

    private static String read(Path file) throws TlsSetupException {
        try {
            // Latin-1 decodes any byte: a stray non-ASCII comment must not hide the PEM blocks around it.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsSetupException(file + ": this user cannot read it", e);
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static List<Object> parse(String pem) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        }
        return objects;
    }

    /** PEM text of {@code certificates}, in order. */
    static String toPem(List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing PEM to memory failed", e);
        }
        return text.toString();
    }

    /** {@code key} as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), the form every TLS stack reads. */
    static String toPem(PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException("writing PEM to memory failed", e);
        }
        return text.toString();
    }

    /**
     * Replaces {@code file} with {@code content} atomically. The temporary file is created with owner-only
     * permissions, so a key is never readable by others even for a moment, and gets {@code permissions}
     * only once complete.
     */
    static void writeAtomically(Path file, String content, Set<PosixFilePermission> permissions) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            // Set, not masked by the umask: ca.pem is meant to be copied to clients.
            Files.setPosixFilePermissions(temporary, permissions);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the rename durable; where a file system cannot sync a directory, the rename still happened. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened for sync; nothing more can be done.
        }
    }

    /** Removes temporary files a crash during {@link #writeAtomically} left behind. */
    static void removeLeftoverTemporaryFiles(Path directory) throws IOException {
        try (var files = Files.newDirectoryStream(directory, ".*.tmp")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}

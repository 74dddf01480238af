package dev.coffer.gateway.runtime;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The account root's access key: from {@code COFFER_ROOT_ACCESS_KEY} / {@code COFFER_ROOT_SECRET_KEY}
 * when set, otherwise generated on first start, written to {@code <data-dir>/root-credentials}
 * (mode 0600) and shown once.
 */
public final class RootCredentials {
    static final String ACCESS_KEY_ENV = "COFFER_ROOT_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "COFFER_ROOT_SECRET_KEY";
    static final String FILE_NAME = "root-credentials";

    /**
     * What start-up tells the user about root credentials.
     *
     * @param secretShownOnce the secret, only when it was just generated (printed once, never again)
     * @param source {@code environment}, {@code generated} or {@code existing}
     */
    public record Outcome(String accessKeyId, String secretShownOnce, Path file, String source) {
        @Override
        public String toString() {
            return "RootCredentials.Outcome[" + source + ", " + accessKeyId + "]";
        }
    }

    private RootCredentials() {}

    static Outcome bootstrap(IdentityStore identities, Map<String, String> environment, Path dataDir) throws StartupException {
        String accessKey = environment.get(ACCESS_KEY_ENV);
        String secret = environment.get(SECRET_KEY_ENV);
        Path file = dataDir.resolve(FILE_NAME);
        if (accessKey != null || secret != null) {
            if (accessKey == null || secret == null || accessKey.isBlank() || secret.isBlank()) {
                throw new StartupException(ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + " must be set together");
            }
            try {
                identities.setRootAccessKey(accessKey, SecretBytes.copyOf(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                throw new StartupException(ACCESS_KEY_ENV + ": " + e.getMessage(), e);
            }
            return new Outcome(accessKey, null, null, "environment");
        }
        var created = identities.createRootAccessKeyIfAbsent();
        if (created.isEmpty()) {
            return new Outcome(null, null, Files.exists(file) ? file : null, "existing");
        }
        NewAccessKey key = created.get();
        String secretText = new String(key.secretAccessKey().toByteArray(SecretAccess.explicitly()), StandardCharsets.US_ASCII);
        write(file, "[default]\naws_access_key_id = " + key.key().accessKeyId() + "\naws_secret_access_key = " + secretText + "\n");
        return new Outcome(key.key().accessKeyId(), secretText, file, "generated");
    }

    private static void write(Path file, String content) throws StartupException {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new StartupException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

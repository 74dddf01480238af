package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.ServeSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The access key {@code coffer admin} signs its IAM calls with, and where it came from. Looked up in
 * this order: {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} (any user's key, as the
 * {@code aws} CLI takes it), {@code COFFER_ROOT_ACCESS_KEY} / {@code COFFER_ROOT_SECRET_KEY} (the root
 * key a gateway started from this environment uses), then {@code <data-dir>/root-credentials}, the
 * file a gateway writes at its first start when no root key was given.
 *
 * <p>The secret is only handed to the signer: {@link #toString()} leaves it out, and no message names it.
 */
record AdminCredentials(String accessKeyId, String secretAccessKey, String source) {
    static final String ROOT_CREDENTIALS_FILE = "root-credentials";
    /** The file holds two short lines; anything larger is not that file. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    static AdminCredentials resolve(Map<String, String> environment, Path dataDir) {
        AdminCredentials fromAws = fromEnvironment(environment, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        if (fromAws != null) {
            return fromAws;
        }
        AdminCredentials fromRoot = fromEnvironment(environment, "COFFER_ROOT_ACCESS_KEY", "COFFER_ROOT_SECRET_KEY");
        if (fromRoot != null) {
            return fromRoot;
        }
        return fromFile(dataDir.resolve(ROOT_CREDENTIALS_FILE));
    }

    private static AdminCredentials fromEnvironment(Map<String, String> environment, String idVariable, String secretVariable) {
        String id = nonBlank(environment.get(idVariable));
        String secret = nonBlank(environment.get(secretVariable));
        if (id == null && secret == null) {
            return null;
        }
        if (id == null || secret == null) {
            throw new ConfigException(List.of(idVariable + " and " + secretVariable + ": set both or neither"));
        }
        return new AdminCredentials(id, secret, idVariable);
    }

    /** An AWS shared-credentials style file; its first section with both keys wins. */
    private static AdminCredentials fromFile(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(List.of(file + ": too large to be a credentials file"));
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the "
                    + ServeSetting.DATA_DIR.option() + " of the gateway, whose first start wrote " + ROOT_CREDENTIALS_FILE
                    + " there (not found: " + file + ")"));
        } catch (IOException e) {
            throw new ConfigException(List.of("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead"));
        }
        Map<String, String> section = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                if (section.containsKey("aws_access_key_id") && section.containsKey("aws_secret_access_key")) {
                    break;
                }
                section.clear();
                continue;
            }
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#") && !line.startsWith(";")) {
                section.put(line.substring(0, equals).strip().toLowerCase(Locale.ROOT), line.substring(equals + 1).strip());
            }
        }
        String id = nonBlank(section.get("aws_access_key_id"));
        String secret = nonBlank(section.get("aws_secret_access_key"));
        if (id == null || secret == null) {
            throw new ConfigException(List.of(file + ": has no aws_access_key_id and aws_secret_access_key"));
        }
        return new AdminCredentials(id, secret, file.toString());
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + accessKeyId + " from " + source + "]";
    }
}

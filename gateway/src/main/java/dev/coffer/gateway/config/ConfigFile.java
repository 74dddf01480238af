package dev.coffer.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A Java properties file of {@code coffer.<module>.<name>} settings, read as UTF-8 (not the
 * ISO-8859-1 of {@link Properties#load(java.io.InputStream)}, so paths and labels may be non-ASCII).
 */
final class ConfigFile {
    static final String KEY_PREFIX = "coffer.";

    private final Path path;
    private final Properties properties;

    private ConfigFile(Path path, Properties properties) {
        this.path = path;
        this.properties = properties;
    }

    /**
     * Reads the file.
     *
     * @throws IOException if it cannot be read or is not UTF-8
     * @throws IllegalArgumentException if it holds a malformed Unicode escape
     */
    static ConfigFile read(Path path) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return new ConfigFile(path, properties);
    }

    Path path() {
        return path;
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    /**
     * Keys under {@code coffer.} that no setting owns: almost always a typo, which would otherwise
     * silently leave the default in force. Keys outside {@code coffer.} are left to their owners.
     */
    List<String> unknownCofferKeys() {
        return properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith(KEY_PREFIX))
                .filter(key -> ServeSetting.byConfigKey(key).isEmpty())
                .sorted()
                .toList();
    }
}

package dev.coffer.gateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * Looks a setting up in its four layers, highest precedence first: command line, environment,
 * config file, built-in default. The first layer that has the setting wins outright, even with an
 * empty value, so a higher layer can switch off what a lower one set (e.g. {@code --kms-endpoint=""}).
 */
final class ConfigLayers {
    private final Map<ServeSetting, String> commandLine;
    private final Map<String, String> environment;
    private final Optional<ConfigFile> configFile;

    ConfigLayers(Map<ServeSetting, String> commandLine, Map<String, String> environment,
                 Optional<ConfigFile> configFile) {
        this.commandLine = Map.copyOf(commandLine);
        this.environment = environment;
        this.configFile = configFile;
    }

    /** The winning value, or empty when no layer sets it and it has no default. */
    Optional<RawSetting> lookup(ServeSetting setting) {
        String fromCommandLine = commandLine.get(setting);
        if (fromCommandLine != null) {
            return Optional.of(new RawSetting(setting, fromCommandLine.strip(), "the command line"));
        }
        String fromEnvironment = environment.get(setting.environmentVariable());
        if (fromEnvironment != null) {
            return Optional.of(new RawSetting(setting, fromEnvironment.strip(), "the environment"));
        }
        Optional<String> fromFile = configFile.flatMap(file -> setting.configKey().flatMap(file::value));
        if (fromFile.isPresent()) {
            // Properties keep trailing blanks in values; "9000 " would otherwise not be a port.
            String origin = "config file " + configFile.orElseThrow().path();
            return Optional.of(new RawSetting(setting, fromFile.get().strip(), origin));
        }
        return setting.defaultValue().map(value -> new RawSetting(setting, value, ""));
    }

    /** Like {@link #lookup} but treats an empty value as not set. */
    Optional<RawSetting> lookupNonEmpty(ServeSetting setting) {
        return lookup(setting).filter(raw -> !raw.text().isEmpty());
    }
}

package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The settings of {@code coffer serve} that another command needs ({@code coffer audit}, {@code coffer
 * admin}), offered under the same options and read from the same environment variables and config
 * file, so such a command finds the gateway's data directory, HSM and port exactly as serve does.
 *
 * <p>The options are copied from {@link ServeSettingOptions} rather than built again, so their names,
 * help text and sources cannot drift from serve's; only the subset a command uses is offered, so its
 * help does not list ports and services it ignores.
 */
final class CommandSettings {
    /** What every command that reads the data directory offers. */
    static final List<ServeSetting> DATA_DIR = List.of(ServeSetting.CONFIG_FILE, ServeSetting.DATA_DIR);
    /** The data directory and where the HSM is. */
    static final List<ServeSetting> HSM = List.of(ServeSetting.CONFIG_FILE, ServeSetting.DATA_DIR,
            ServeSetting.HSM, ServeSetting.PKCS11_LIBRARY, ServeSetting.PKCS11_TOKEN_LABEL, ServeSetting.PKCS11_PIN_FILE);
    /** The data directory and where the edge port of a running gateway listens, and its region. */
    static final List<ServeSetting> EDGE = List.of(ServeSetting.CONFIG_FILE, ServeSetting.DATA_DIR,
            ServeSetting.HTTP_PORT, ServeSetting.BIND, ServeSetting.REGION);

    private CommandSettings() {}

    static void addTo(CommandSpec spec, List<ServeSetting> settings) {
        CommandSpec serveOptions = CommandSpec.create();
        ServeSettingOptions.addTo(serveOptions);
        for (ServeSetting setting : settings) {
            OptionSpec.Builder option = serveOptions.findOption(setting.option()).toBuilder();
            if (setting == ServeSetting.DATA_DIR) {
                // Serve's text says the directory is created; these commands only read what is there.
                String[] description = option.description().clone();
                description[0] = "The gateway's data directory; read, never created.";
                option.description(description);
            }
            spec.addOption(option.build());
        }
    }

    /**
     * The configuration as serve would resolve it from the same command line, environment and file.
     *
     * @param usesHsm whether the command opens the HSM. When it does not, the HSM is taken as
     *     {@code software} whatever the environment or file say, which makes the resolver ignore the
     *     PKCS#11 settings: an auditor who can read the trail but not the token's PIN file must still
     *     be able to search and verify it. HTTPS is taken as off for the same reason: no command but
     *     serve reads the TLS certificate files, so a key file this user cannot read must not stop it.
     * @throws dev.coffer.gateway.config.ConfigException naming every invalid setting
     */
    static ServeConfig resolve(Map<String, String> environment, ParseResult parseResult, boolean usesHsm) {
        Map<ServeSetting, String> given = new EnumMap<>(ServeSettingOptions.given(parseResult));
        if (!usesHsm) {
            given.put(ServeSetting.HSM, "software");
        }
        given.put(ServeSetting.HTTPS_PORT, "-1");
        return new ServeConfigResolver(environment).resolve(given);
    }

    /**
     * The data directory of {@code config}, which must exist: unlike serve, these commands read
     * what a gateway left there, and a missing directory is almost always a mistyped path.
     */
    static Path existingDataDir(ServeConfig config) {
        if (!Files.isDirectory(config.dataDir())) {
            throw new ConfigException(List.of(ServeSetting.DATA_DIR.displayName() + ": no such directory "
                    + config.dataDir() + "; point it at the data directory of the gateway"));
        }
        return config.dataDir();
    }

    /** The parse result of the command that runs: the last of the chain {@code coffer admin create-user}. */
    static ParseResult leaf(CommandSpec anyCommandOfTheChain) {
        ParseResult result = anyCommandOfTheChain.root().commandLine().getParseResult();
        while (result.subcommand() != null) {
            result = result.subcommand();
        }
        return result;
    }
}

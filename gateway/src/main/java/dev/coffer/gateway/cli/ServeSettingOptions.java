package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ServeSetting;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options of {@code coffer serve}, generated from {@link ServeSetting} so the option names,
 * help text, config keys and environment variables cannot drift apart.
 *
 * <p>Options are plain strings with no picocli default: "not given" must stay distinguishable from
 * "given as the default", or the environment and the config file could never apply. Typing and
 * validation happen once, in the config resolver, with errors that name every source of a setting.
 */
final class ServeSettingOptions {
    private ServeSettingOptions() {}

    static void addTo(CommandSpec spec) {
        for (ServeSetting setting : ServeSetting.values()) {
            spec.addOption(OptionSpec.builder(setting.option())
                    .paramLabel(setting.valueLabel())
                    .type(String.class)
                    .arity("1")
                    .description(setting.description(), sources(setting))
                    .build());
        }
    }

    /** E.g. "Default: 9000; key coffer.gateway.http-port; env COFFER_HTTP_PORT." */
    private static String sources(ServeSetting setting) {
        StringBuilder text = new StringBuilder("Default: ").append(setting.defaultDescription());
        setting.configKey().ifPresent(key -> text.append("; key ").append(key));
        return text.append("; env ").append(setting.environmentVariable()).append('.').toString();
    }

    /** The settings given on the command line, with their values as typed. */
    static Map<ServeSetting, String> given(ParseResult parseResult) {
        Map<ServeSetting, String> given = new EnumMap<>(ServeSetting.class);
        for (ServeSetting setting : ServeSetting.values()) {
            if (parseResult.hasMatchedOption(setting.option())) {
                given.put(setting, parseResult.matchedOptionValue(setting.option(), ""));
            }
        }
        return given;
    }
}

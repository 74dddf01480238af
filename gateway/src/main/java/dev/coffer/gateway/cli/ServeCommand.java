package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.runtime.Gateway;
import dev.coffer.gateway.runtime.StartupException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code coffer serve}: validates the configuration once, starts the gateway, prints where it serves,
 * and runs until SIGINT or SIGTERM.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        sortOptions = false,
        description = {
            "Starts the Coffer services and the admin server (/health, /metrics) and runs until stopped.",
            "Each option can also be set as a key in the --config file or as a COFFER_* environment variable.",
            "Precedence: command line, then environment, then config file, then default."
        })
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    private final Map<String, String> environment;

    private ServeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The command with its annotated options plus one option per setting of the settings table. */
    static CommandSpec spec(Map<String, String> environment) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new ServeCommand(environment));
        ServeSettingOptions.addTo(spec);
        return spec;
    }

    @Override
    public Integer call() throws StartupException, InterruptedException {
        ServeConfig config = new ServeConfigResolver(environment)
                .resolve(ServeSettingOptions.given(spec.commandLine().getParseResult()));
        PrintWriter out = spec.commandLine().getOut();
        Gateway gateway = Gateway.start(config, environment);
        StopOnSignal stop = StopOnSignal.install(gateway, out);
        StartupBanner.print(out, config, gateway);
        gateway.awaitStopped();
        if (!stop.requested()) {
            stop.uninstall();
            gateway.close();
            throw new IllegalStateException("the admin server stopped listening unexpectedly");
        }
        return CommandLine.ExitCode.OK;
    }
}

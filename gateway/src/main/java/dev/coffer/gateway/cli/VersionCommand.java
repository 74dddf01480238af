package dev.coffer.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code coffer version}. */
@Command(name = "version",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        description = "Prints the Coffer version and the Java runtime and OS it runs on.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() {
        CofferVersion.describe().forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}

package dev.coffer.gateway.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code coffer s3}: work on the objects of a running gateway through its S3 API. */
@Command(name = "s3",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        description = {
            "Works on the objects of a running gateway through its S3 API on the edge port.",
            "Signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else COFFER_ROOT_ACCESS_KEY / COFFER_ROOT_SECRET_KEY,"
                    + " else the root key in <data-dir>/root-credentials."
        })
final class S3Command implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    private S3Command() {}

    /** The command and its subcommands, each with the connection options of {@code coffer admin} and --verbose. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine s3 = new CommandLine(new S3Command())
                .addSubcommand("reencrypt", new S3ReencryptCommand(environment));
        for (CommandLine subcommand : s3.getSubcommands().values()) {
            AdminCommand.addConnectionOptions(subcommand.getCommandSpec());
        }
        return s3;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'coffer s3 reencrypt --help'");
    }
}

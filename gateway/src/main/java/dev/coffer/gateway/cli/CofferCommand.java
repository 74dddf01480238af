package dev.coffer.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command; it only dispatches to subcommands. */
@Command(name = "coffer",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        description = "Coffer: an encrypting storage gateway (S3 with AWS server-side encryption, "
                + "encrypted volumes over NBD, an AWS-KMS-compatible key service).")
final class CofferCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'coffer serve', 'coffer admin', 'coffer audit', 'coffer s3' or 'coffer version'");
    }
}

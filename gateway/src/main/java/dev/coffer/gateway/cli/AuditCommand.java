package dev.coffer.gateway.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit}: the KMS audit trail in {@code <data-dir>/audit/kms}, read without the gateway
 * (docs/formats/audit-trail-v1.md). It only dispatches to its subcommands.
 */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        description = "Verifies and searches the KMS audit trail (CloudTrail records, signed and chained digests).")
final class AuditCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    private AuditCommand() {}

    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new AuditCommand())
                .addSubcommand("verify", AuditVerifyCommand.spec(environment))
                .addSubcommand("lookup", AuditLookupCommand.spec(environment))
                .addSubcommand("public-key", AuditPublicKeyCommand.spec(environment));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing command: try 'coffer audit verify', 'coffer audit lookup' or 'coffer audit public-key'");
    }
}

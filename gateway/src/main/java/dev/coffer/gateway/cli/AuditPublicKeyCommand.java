package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ServeConfig;
import java.io.PrintWriter;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit public-key}: prints the public half of the HSM's audit signing key as PEM, to
 * hand to auditors for {@code coffer audit verify --public-key}. Only the PEM goes to stdout, so
 * {@code > audit-signing-key.pem} yields a usable file; its fingerprint goes to stderr.
 */
@Command(name = "public-key",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        sortOptions = false,
        description = {
            "Prints the public key that verifies the audit trail's digest signatures (PEM), read from the HSM.",
            "Give it to auditors: 'coffer audit verify --public-key FILE' then needs no HSM."
        })
final class AuditPublicKeyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    private final Map<String, String> environment;

    private AuditPublicKeyCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static CommandSpec spec(Map<String, String> environment) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new AuditPublicKeyCommand(environment));
        CommandSettings.addTo(spec, CommandSettings.HSM);
        return spec;
    }

    @Override
    public Integer call() {
        ServeConfig config = CommandSettings.resolve(environment, spec.commandLine().getParseResult(), true);
        PublicKey key = AuditSigningKey.fromHsm(config);
        PrintWriter out = spec.commandLine().getOut();
        out.print(AuditSigningKey.pem(key));
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("public key SHA-256: " + AuditSigningKey.fingerprint(key) + " (" + AuditSigningKey.LABEL + ")");
        err.flush();
        return CommandLine.ExitCode.OK;
    }
}

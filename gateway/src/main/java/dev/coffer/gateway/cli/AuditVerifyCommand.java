package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.kms.audit.AuditTrailException;
import dev.coffer.kms.audit.AuditVerifier;
import dev.coffer.kms.audit.JcaAuditSigner;
import dev.coffer.kms.audit.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit verify}: checks every digest signature, the digest chain, and every log file's
 * hash and record count, and prints the report. Exit 0 when the trail is intact, 1 when it is not.
 *
 * <p>The verifying key is only a public key, so verification is the same whether it came from the HSM
 * or from a file: the HSM is opened just long enough to read that key and closed before the trail is read.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        sortOptions = false,
        description = {
            "Verifies the KMS audit trail in <data-dir>/audit/kms: digest signatures, the digest chain,"
                    + " and each log file's SHA-256 and record count.",
            "Exit code: 0 intact, 1 tampering or damage found, 2 usage error.",
            "The public key comes from the HSM (as 'coffer serve' opens it), or from --public-key."
        })
final class AuditVerifyCommand implements Callable<Integer> {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    @Option(names = "--public-key", paramLabel = "FILE", order = 1,
            description = "Verify with this public key (PEM or DER SubjectPublicKeyInfo, as 'coffer audit public-key'"
                    + " prints it) instead of opening the HSM.")
    private Path publicKeyFile;

    @Option(names = "--anchor", paramLabel = "SHA256", order = 2,
            description = "SHA-256 of a digest file recorded earlier (the chain tip a previous run printed): fails"
                    + " if the chain no longer contains it, i.e. the newest hours were removed or rewritten.")
    private String anchor;

    @Option(names = "--closed", order = 3,
            description = "The trail should be closed (the gateway has stopped): a newest log file without a digest"
                    + " is an error, not a note.")
    private boolean closed;

    private final Map<String, String> environment;

    private AuditVerifyCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static CommandSpec spec(Map<String, String> environment) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new AuditVerifyCommand(environment));
        CommandSettings.addTo(spec, CommandSettings.HSM);
        return spec;
    }

    @Override
    public Integer call() {
        AuditVerifier.Options options = options();
        ServeConfig config = CommandSettings.resolve(environment, spec.commandLine().getParseResult(), publicKeyFile == null);
        Path trail = CommandSettings.existingDataDir(config).resolve("audit").resolve("kms");
        PublicKey key = publicKeyFile != null
                ? AuditSigningKey.fromFile("--public-key", publicKeyFile)
                : AuditSigningKey.fromHsm(config);
        VerificationReport report;
        try {
            report = AuditVerifier.verify(trail, JcaAuditSigner.verifyOnly(AuditSigningKey.LABEL, key), options);
        } catch (AuditTrailException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("trail:  " + trail);
        out.println("key:    " + AuditSigningKey.LABEL + " from " + (publicKeyFile != null ? publicKeyFile : "the HSM")
                + ", public key SHA-256 " + AuditSigningKey.fingerprint(key));
        out.print(report.toText());
        out.flush();
        return report.ok() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private AuditVerifier.Options options() {
        AuditVerifier.Options options = AuditVerifier.Options.defaults();
        if (anchor != null) {
            String sha256 = anchor.strip().toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(sha256).matches()) {
                throw new ConfigException(List.of("--anchor: must be a SHA-256 in hex (64 characters), as the"
                        + " 'chain tip' line of an earlier run prints it, got " + anchor));
            }
            options = options.withAnchor(sha256);
        }
        return closed ? options.closedTrail() : options;
    }
}

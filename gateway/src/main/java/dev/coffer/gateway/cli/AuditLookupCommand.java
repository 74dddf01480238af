package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditTrailException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit lookup}: the records that match, newest first, one stored CloudTrail record per
 * line exactly as the trail holds it (JSON lines, for {@code jq}). Named and shaped after CloudTrail's
 * LookupEvents. Finding nothing is not an error.
 */
@Command(name = "lookup",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        sortOptions = false,
        description = {
            "Prints the KMS audit records that match every given filter, newest first, one JSON record per line.",
            "Reads <data-dir>/audit/kms as it is; 'coffer audit verify' says whether it can be trusted."
        })
final class AuditLookupCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    @Option(names = "--key-id", paramLabel = "KEY", order = 1,
            description = "Key ID, key ARN, alias name or alias ARN the call was about.")
    private String keyId;

    @Option(names = "--event-name", paramLabel = "NAME", order = 2, description = "KMS operation, e.g. Decrypt.")
    private String eventName;

    @Option(names = "--user", paramLabel = "USER", order = 3,
            description = "Caller's user name, ARN or principal ID.")
    private String user;

    @Option(names = "--start-time", paramLabel = "TIME", order = 4,
            description = "Records at or after this time: ISO-8601, e.g. 2025-05-20T10:00:00Z,"
                    + " 2025-05-20T12:00:00+02:00 or 2025-05-20 (midnight UTC).")
    private String startTime;

    @Option(names = "--end-time", paramLabel = "TIME", order = 5, description = "Records before this time; as --start-time.")
    private String endTime;

    @Option(names = "--max-results", paramLabel = "N", order = 6,
            description = "At most this many records, 1 to " + AuditLookup.Query.MAX_LIMIT + ". Default: "
                    + AuditLookup.Query.DEFAULT_LIMIT + ".")
    private int maxResults = AuditLookup.Query.DEFAULT_LIMIT;

    private final Map<String, String> environment;

    private AuditLookupCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    static CommandSpec spec(Map<String, String> environment) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(new AuditLookupCommand(environment));
        CommandSettings.addTo(spec, CommandSettings.DATA_DIR);
        return spec;
    }

    @Override
    public Integer call() {
        AuditLookup.Query query = query();
        ServeConfig config = CommandSettings.resolve(environment, spec.commandLine().getParseResult(), false);
        Path trail = CommandSettings.existingDataDir(config).resolve("audit").resolve("kms");
        AuditLookup.Result result;
        try {
            result = AuditLookup.find(trail, query);
        } catch (AuditTrailException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (AuditRecord record : result.records()) {
            out.println(record.toJson());
        }
        out.flush();
        if (result.malformedLinesSkipped() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("coffer: skipped " + result.malformedLinesSkipped() + " line(s) that are not valid records;"
                    + " run 'coffer audit verify'");
            err.flush();
        }
        return CommandLine.ExitCode.OK;
    }

    private AuditLookup.Query query() {
        Instant from = time("--start-time", startTime);
        Instant to = time("--end-time", endTime);
        if (maxResults < 1 || maxResults > AuditLookup.Query.MAX_LIMIT) {
            throw new ConfigException(List.of("--max-results: must be 1 to " + AuditLookup.Query.MAX_LIMIT
                    + ", got " + maxResults));
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ConfigException(List.of("--end-time: must be after --start-time, got " + endTime
                    + " with --start-time " + startTime));
        }
        return AuditLookup.Query.all()
                .withKeyId(blankToNull(keyId))
                .withEventName(blankToNull(eventName))
                .withUser(blankToNull(user))
                .withTimeRange(from, to)
                .withLimit(maxResults);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notATimestamp) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new ConfigException(List.of(option + ": must be an ISO-8601 time with its offset, such as"
                        + " 2025-05-20T10:00:00Z, or a date, such as 2025-05-20, got " + text));
            }
        }
    }
}

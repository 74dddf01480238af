package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.runtime.StartupException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command throws into the user's one-line message and the exit code. Stack traces only
 * with {@code --verbose} or {@code COFFER_LOG_LEVEL=debug}: users should read what to fix, not where
 * in the code it was noticed.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {
    private final boolean debugLogging;

    CliErrorHandler(Map<String, String> environment) {
        String level = environment.getOrDefault("COFFER_LOG_LEVEL", "").strip().toLowerCase(Locale.ROOT);
        this.debugLogging = level.equals("debug") || level.equals("trace") || level.equals("all");
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int exitCode;
        switch (exception) {
            // Bad settings are bad input, like a malformed option: the usage exit code, as picocli uses.
            case ConfigException invalid -> {
                invalid.problems().forEach(problem -> err.println("coffer: " + problem));
                exitCode = CommandLine.ExitCode.USAGE;
            }
            case StartupException failed -> {
                err.println("coffer: " + failed.getMessage());
                exitCode = CommandLine.ExitCode.SOFTWARE;
            }
            case CommandFailedException failed -> {
                err.println("coffer: " + failed.getMessage());
                exitCode = CommandLine.ExitCode.SOFTWARE;
            }
            default -> {
                err.println("coffer: internal error: " + exception
                        + (showStackTrace(parseResult) ? "" : " (--verbose shows the stack trace)"));
                exitCode = CommandLine.ExitCode.SOFTWARE;
            }
        }
        if (showStackTrace(parseResult)) {
            exception.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    private boolean showStackTrace(ParseResult parseResult) {
        return debugLogging || VerboseOption.requested(parseResult);
    }
}

package dev.coffer.gateway.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code --verbose}, accepted by every command. Errors are one line by default; this adds the stack
 * trace, for bug reports.
 */
final class VerboseOption {
    static final String NAME = "--verbose";

    @Option(names = NAME, description = "On failure, print the stack trace as well.")
    private boolean verbose;

    /** Whether {@code --verbose} appears anywhere in the command chain, before or after the subcommand. */
    static boolean requested(ParseResult parseResult) {
        for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
            CommandSpec spec = result.commandSpec();
            if (spec.findOption(NAME) != null && result.hasMatchedOption(NAME)) {
                return true;
            }
        }
        return false;
    }
}

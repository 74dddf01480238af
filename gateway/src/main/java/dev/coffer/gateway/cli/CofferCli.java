package dev.coffer.gateway.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Builds and runs the {@code coffer} command line. */
public final class CofferCli {
    private CofferCli() {}

    /**
     * Runs one invocation.
     *
     * @param args        the arguments after {@code coffer}
     * @param environment the process environment, injectable so tests need not set real variables
     * @return the exit code: 0 ok, 1 runtime failure, 2 usage or configuration error
     */
    public static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        return commandLine(environment, out, err).execute(args);
    }

    static CommandLine commandLine(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new CofferCommand())
                .addSubcommand("serve", ServeCommand.spec(environment))
                .addSubcommand("audit", AuditCommand.commandLine(environment))
                .addSubcommand("admin", AdminCommand.commandLine(environment))
                .addSubcommand("s3", S3Command.commandLine(environment))
                .addSubcommand("version", new VersionCommand())
                .addSubcommand("help", new CommandLine.HelpCommand());
        // Set after the subcommands are added: picocli copies these settings to existing subcommands only.
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new CliErrorHandler(environment));
        return commandLine;
    }
}

package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.gateway.config.ServeSetting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process; {@code serve} is only driven to failures here (ServeIT runs it for real). */
class CofferCliTest {
    @TempDir
    Path temp;

    private final Map<String, String> environment = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CofferCli.execute(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void versionPrintsCofferVersionJavaRuntimeAndVendor() {
        int exitCode = run("version");

        assertThat(exitCode).isZero();
        assertThat(out.toString().lines()).satisfiesExactly(
                coffer -> assertThat(coffer).matches("coffer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
                java -> assertThat(java).startsWith("java   " + Runtime.version())
                        .contains(System.getProperty("java.vendor")),
                os -> assertThat(os).startsWith("os     " + System.getProperty("os.name")));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionOptionPrintsTheSameAsTheVersionCommand() {
        run("version");
        String fromCommand = out.toString();
        out.getBuffer().setLength(0);

        assertThat(run("--version")).isZero();
        assertThat(out.toString()).isEqualTo(fromCommand);
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command").contains("Usage: coffer");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("serve", "--htp-port", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--htp-port");
    }

    @Test
    void invalidSettingExitsWithTheUsageCodeAndOneLineNamingIt() {
        int exitCode = run("serve", "--http-port", "70000", "--data-dir", temp.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("coffer: --http-port (coffer.gateway.http-port / COFFER_HTTP_PORT):"
                + " must be 0..65535, got 70000 (from the command line)" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void minusOneIsTakenAsTheHttpsPortValueNotAsAnOption() {
        int exitCode = run("serve", "--https-port", "-1", "--http-port", "x", "--data-dir", temp.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --http-port ").doesNotContain("--https-port");
    }

    @Test
    void invalidEnvironmentVariableIsReportedAsComingFromTheEnvironment() {
        environment.put("COFFER_REGION", "mars-1");

        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --region (coffer.gateway.region / COFFER_REGION):")
                .contains("got mars-1 (from the environment)");
    }

    @Test
    void unknownConfigFileKeyIsAUsageErrorNamingTheKey() throws IOException {
        Path file = Files.writeString(temp.resolve("coffer.properties"), "coffer.gateway.admin_port=1\n");

        assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("coffer.gateway.admin_port").contains("unknown setting");
    }

    @Test
    void startupFailureExitsWithOneAndOneLine() throws IOException {
        Path file = Files.createFile(temp.resolve("file"));

        int exitCode = run("serve", "--data-dir", file.resolve("data").toString(), "--admin-port", "0");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("coffer: --data-dir " + file.resolve("data") + ": cannot create it");
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        int exitCode = run("serve", "--verbose", "--http-port", "x");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("ConfigException").contains("\tat dev.coffer.gateway.");
    }

    @Test
    void verboseBeforeTheCommandWorksToo() {
        run("--verbose", "serve", "--http-port", "x");

        assertThat(err.toString()).contains("\tat dev.coffer.gateway.");
    }

    @Test
    void debugLogLevelPrintsTheStackTraceToo() {
        environment.put("COFFER_LOG_LEVEL", "debug");

        run("serve", "--http-port", "x");

        assertThat(err.toString()).contains("\tat dev.coffer.gateway.");
    }

    @Test
    void serveHelpListsEveryOptionWithItsDefaultKeyAndEnvironmentVariable() {
        assertThat(run("serve", "--help")).isZero();

        // Compared without blanks: picocli wraps long lines, and may wrap inside a dotted key.
        String help = out.toString().replaceAll("\\s+", "");
        for (ServeSetting setting : ServeSetting.values()) {
            assertThat(help).contains(setting.option() + "=" + setting.valueLabel())
                    .contains(("Default: " + setting.defaultDescription()).replace(" ", ""))
                    .contains("env" + setting.environmentVariable());
            setting.configKey().ifPresent(key -> assertThat(help).contains("key" + key));
        }
    }
}

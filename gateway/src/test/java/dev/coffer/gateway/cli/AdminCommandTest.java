package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code coffer admin} decides before it sends anything; AdminCommandIT runs it against a gateway. */
class AdminCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        Map<String, String> environment = Map.of("AWS_ACCESS_KEY_ID", "AKIATEST", "AWS_SECRET_ACCESS_KEY", "test-secret");
        return CofferCli.execute(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void policyDocumentsAreDecodedAsRfc3986KeepingLiteralPlusSigns() {
        assertThat(AdminCommand.decodePolicyDocument("%7B%22Sid%22%3A%22a+b%20c%22%7D")).isEqualTo("{\"Sid\":\"a+b c\"}");
    }

    @Test
    void anEndpointUrlThatIsNotHttpIsAUsageErrorNamingTheOption() {
        assertThat(run("admin", "list-users", "--endpoint-url", "ftp://127.0.0.1:9000")).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --endpoint-url: must be an http:// or https:// URL");
    }

    @Test
    void anEndpointUrlWithCredentialsInItIsRefused() {
        assertThat(run("admin", "list-users", "--endpoint-url", "http://user:pw@127.0.0.1:9000")).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("pw@").contains("--endpoint-url");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        assertThat(run("admin", "delete-access-key", "alice")).isEqualTo(2);
        assertThat(err.toString()).contains("KEYID");
    }

    @Test
    void adminWithoutASubcommandIsAUsageError() {
        assertThat(run("admin")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command").contains("create-user").contains("list-user-policies");
    }

    @Test
    void everyIamActionOfTheDesignHasASubcommand() {
        assertThat(CofferCli.commandLine(Map.of(), new PrintWriter(out), new PrintWriter(err))
                .getSubcommands().get("admin").getSubcommands().keySet())
                .containsExactlyInAnyOrder("create-user", "delete-user", "list-users", "create-access-key",
                        "delete-access-key", "list-access-keys", "put-user-policy", "get-user-policy",
                        "delete-user-policy", "list-user-policies");
    }
}

package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer admin} in-process against a real gateway (edge port, SigV4, IAM Query API) started
 * once for the class; each test works on users of its own.
 */
class AdminCommandIT {
    private static final String ROOT_ACCESS_KEY = "COFFERADMINTESTROOT1";
    private static final String ROOT_SECRET = "admin-test-root-secret-0123456789abcdefgh";
    private static final String POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:ListAccessKeys"],\
            "Resource":"*"}]}""";

    @TempDir
    static Path shared;
    static Gateway gateway;
    static int port;
    static String endpoint;

    @TempDir
    Path temp;
    private final Map<String, String> environment = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startGateway() throws Exception {
        ServeConfig config = new ServeConfigResolver(Map.of()).resolve(Map.of(
                ServeSetting.DATA_DIR, shared.resolve("data").toString(),
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "-1",
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.SERVICES, "kms"));
        gateway = Gateway.start(config, Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
        port = gateway.edgeAddress().orElseThrow().getPort();
        endpoint = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void signAsRoot() {
        environment.put("AWS_ACCESS_KEY_ID", ROOT_ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", ROOT_SECRET);
    }

    /** {@code coffer admin ARGS --endpoint-url <gateway>}. */
    private int admin(String... args) {
        String[] withEndpoint = new String[args.length + 3];
        withEndpoint[0] = "admin";
        System.arraycopy(args, 0, withEndpoint, 1, args.length);
        withEndpoint[args.length + 1] = "--endpoint-url";
        withEndpoint[args.length + 2] = endpoint;
        return run(withEndpoint);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return CofferCli.execute(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String field(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": +(\\S+)$").matcher(out.toString());
        assertThat(m.find()).as("%s in %s", name, out).isTrue();
        return m.group(1);
    }

    @Test
    void createUserPrintsItAndListUsersShowsIt() {
        assertThat(admin("create-user", "carol")).as(err.toString()).isZero();
        assertThat(field("user-name")).isEqualTo("carol");
        assertThat(field("arn")).endsWith(":user/carol");
        String userId = field("user-id");

        assertThat(admin("list-users")).isZero();
        assertThat(out.toString().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header).startsWith("USER-NAME").contains("USER-ID").contains("CREATED").endsWith("ARN"));
        assertThat(out.toString().lines().filter(line -> line.startsWith("carol ")))
                .singleElement().asString().contains(userId).endsWith(":user/carol");
    }

    @Test
    void createAccessKeyPrintsTheSecretOnceAndTheKeySignsUnderTheUsersPolicy() throws IOException {
        admin("create-user", "dave");
        assertThat(admin("create-access-key", "dave")).as(err.toString()).isZero();
        String keyId = field("access-key-id");
        String secret = field("secret-access-key");
        assertThat(field("status")).isEqualTo("Active");

        assertThat(admin("list-access-keys", "dave")).isZero();
        assertThat(out.toString()).contains(keyId).contains("Active").doesNotContain(secret);

        environment.put("AWS_ACCESS_KEY_ID", keyId);
        environment.put("AWS_SECRET_ACCESS_KEY", secret);
        assertThat(admin("list-users")).isEqualTo(1);
        assertThat(err.toString()).startsWith("coffer: AccessDenied: ");

        signAsRoot();
        Path policy = Files.writeString(temp.resolve("policy.json"), POLICY);
        assertThat(admin("put-user-policy", "dave", "list", policy.toString())).as(err.toString()).isZero();
        environment.put("AWS_ACCESS_KEY_ID", keyId);
        environment.put("AWS_SECRET_ACCESS_KEY", secret);
        assertThat(admin("list-users")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("dave ");
    }

    @Test
    void putUserPolicyFromAFileThenGetListAndDeleteIt() throws IOException {
        admin("create-user", "erin");
        Path policy = Files.writeString(temp.resolve("policy.json"), POLICY);

        assertThat(admin("put-user-policy", "erin", "read-only", policy.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("put policy read-only on user erin" + System.lineSeparator());

        assertThat(admin("get-user-policy", "erin", "read-only")).isZero();
        assertThat(out.toString()).isEqualTo(POLICY + System.lineSeparator());

        assertThat(admin("list-user-policies", "erin")).isZero();
        assertThat(out.toString().lines()).containsExactly("POLICY-NAME", "read-only");

        assertThat(admin("delete-user-policy", "erin", "read-only")).isZero();
        assertThat(admin("list-user-policies", "erin")).isZero();
        assertThat(out.toString().lines()).containsExactly("POLICY-NAME");
    }

    @Test
    void deleteAccessKeyThenDeleteUserRemovesThem() {
        admin("create-user", "frank");
        admin("create-access-key", "frank");
        String keyId = field("access-key-id");

        assertThat(admin("delete-access-key", "frank", keyId)).as(err.toString()).isZero();
        assertThat(admin("list-access-keys", "frank")).isZero();
        assertThat(out.toString()).doesNotContain(keyId);
        assertThat(admin("delete-user", "frank")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("deleted user frank" + System.lineSeparator());

        admin("list-users");
        assertThat(out.toString()).doesNotContain("frank");
    }

    @Test
    void deletingAUserThatDoesNotExistFailsWithTheServiceErrorCodeAndMessage() {
        int exitCode = admin("delete-user", "nobody");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("coffer: NoSuchEntity: ").contains("nobody");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void signsWithTheRootCredentialsFileInTheDataDirOnTheDefaultEndpoint() throws IOException {
        environment.clear();
        Path dataDir = Files.createDirectory(temp.resolve("data"));
        Files.writeString(dataDir.resolve("root-credentials"),
                "[default]\naws_access_key_id = " + ROOT_ACCESS_KEY + "\naws_secret_access_key = " + ROOT_SECRET + "\n");

        int exitCode = run("admin", "list-users", "--data-dir", dataDir.toString(), "--http-port", Integer.toString(port));

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("USER-NAME");
    }

    @Test
    void withoutAnyCredentialsIsAUsageErrorSayingWhereTheyAreLookedFor() throws IOException {
        environment.clear();
        Path dataDir = Files.createDirectory(temp.resolve("data"));

        assertThat(run("admin", "list-users", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                .contains(dataDir.resolve("root-credentials").toString());
    }

    @Test
    void aGatewayThatIsNotRunningIsReportedInOneLine() {
        int exitCode = run("admin", "list-users", "--endpoint-url", "http://127.0.0.1:1");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("coffer: cannot connect to http://127.0.0.1:1/: is 'coffer serve' running there?");
    }

    @Test
    void noSecretOfTheSigningKeyAppearsInAnyOutput() {
        admin("list-users");
        admin("delete-user", "nobody");

        assertThat(List.of(out.toString(), err.toString())).noneMatch(text -> text.contains(ROOT_SECRET));
    }
}

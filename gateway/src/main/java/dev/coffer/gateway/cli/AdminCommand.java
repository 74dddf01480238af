package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ConfigException;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.transport.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code coffer admin}: users, access keys and inline user policies of a running gateway, through its
 * IAM Query API on the edge port (the same calls {@code aws iam} makes), signed with the caller's or
 * the root's access key. One subcommand per IAM action; each prints a short human answer, and errors
 * as {@code coffer: <Code>: <Message>} with exit code 1.
 *
 * <p>A secret access key is printed once, by create-access-key, which is the only time the gateway
 * returns it; the key this command signs with is never printed.
 */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        versionProvider = CofferVersion.Provider.class,
        description = {
            "Manages users, access keys and user policies of a running gateway through its IAM API.",
            "Signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else COFFER_ROOT_ACCESS_KEY / COFFER_ROOT_SECRET_KEY,"
                    + " else the root key in <data-dir>/root-credentials."
        })
final class AdminCommand implements Callable<Integer> {
    static final String ENDPOINT_URL = "--endpoint-url";
    /** The IAM limit on an inline policy is 2,048 characters; read a little more and let the service say no. */
    private static final int MAX_POLICY_FILE_BYTES = 64 * 1024;

    @Spec
    private CommandSpec spec;

    @Mixin
    private VerboseOption verbose;

    private final Map<String, String> environment;

    private AdminCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The command and its subcommands, each with the connection options and --verbose. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine admin = new CommandLine(new AdminCommand(environment));
        for (CommandLine subcommand : admin.getSubcommands().values()) {
            addConnectionOptions(subcommand.getCommandSpec());
        }
        return admin;
    }

    /**
     * What every command that talks to a running gateway's edge port offers: {@code --endpoint-url},
     * the serve settings that locate the edge port, its region and the data directory (for the root
     * credentials), and {@code --verbose}. Also used by {@code coffer s3}.
     */
    static void addConnectionOptions(CommandSpec action) {
        action.versionProvider(new CofferVersion.Provider());
        action.addOption(OptionSpec.builder(ENDPOINT_URL)
                .paramLabel("URL")
                .type(String.class)
                .arity("1")
                .description("The gateway's edge port. Default: http://127.0.0.1:<http-port>, or the --bind"
                        + " address when the gateway listens on one address only.")
                .build());
        CommandSettings.addTo(action, CommandSettings.EDGE);
        action.addMixin("verbose", CommandSpec.forAnnotatedObject(new VerboseOption()));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'coffer admin --help' for the list");
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true, description = "Creates a user (iam CreateUser).")
    int createUser(@Parameters(paramLabel = "NAME", description = "The user name.") String userName) {
        IamXmlResult user = iam().call("CreateUser", "UserName", userName).child("User");
        printUser(user);
        return done();
    }

    @Command(name = "delete-user", mixinStandardHelpOptions = true,
            description = "Deletes a user, which must have no access keys and no policies left (iam DeleteUser).")
    int deleteUser(@Parameters(paramLabel = "NAME", description = "The user name.") String userName) {
        iam().call("DeleteUser", "UserName", userName);
        out().println("deleted user " + userName);
        return done();
    }

    @Command(name = "list-users", mixinStandardHelpOptions = true, description = "Lists all users (iam ListUsers).")
    int listUsers() {
        TextTable table = new TextTable("USER-NAME", "USER-ID", "CREATED", "ARN");
        for (IamXmlResult user : allPages(iam(), "ListUsers", "Users")) {
            table.row(user.text("UserName"), user.text("UserId"), user.text("CreateDate"), user.text("Arn"));
        }
        table.print(out());
        return done();
    }

    @Command(name = "create-access-key", mixinStandardHelpOptions = true,
            description = "Creates an access key for a user and prints its secret, this once (iam CreateAccessKey).")
    int createAccessKey(@Parameters(paramLabel = "NAME", description = "The user name.") String userName) {
        IamXmlResult key = iam().call("CreateAccessKey", "UserName", userName).child("AccessKey");
        TextTable.printFields(out(),
                "user-name", key.text("UserName"),
                "access-key-id", key.text("AccessKeyId"),
                "secret-access-key", key.text("SecretAccessKey"),
                "status", key.text("Status"),
                "created", key.text("CreateDate"),
                "note", "the secret access key is shown only now; it cannot be retrieved later");
        return done();
    }

    @Command(name = "delete-access-key", mixinStandardHelpOptions = true,
            description = "Deletes an access key of a user (iam DeleteAccessKey).")
    int deleteAccessKey(@Parameters(index = "0", paramLabel = "NAME", description = "The user name.") String userName,
                        @Parameters(index = "1", paramLabel = "KEYID", description = "The access key ID.") String accessKeyId) {
        iam().call("DeleteAccessKey", "UserName", userName, "AccessKeyId", accessKeyId);
        out().println("deleted access key " + accessKeyId + " of user " + userName);
        return done();
    }

    @Command(name = "list-access-keys", mixinStandardHelpOptions = true,
            description = "Lists the access keys of a user, without their secrets (iam ListAccessKeys).")
    int listAccessKeys(@Parameters(paramLabel = "NAME", description = "The user name.") String userName) {
        TextTable table = new TextTable("ACCESS-KEY-ID", "STATUS", "CREATED");
        for (IamXmlResult key : allPages(iam(), "ListAccessKeys", "AccessKeyMetadata", "UserName", userName)) {
            table.row(key.text("AccessKeyId"), key.text("Status"), key.text("CreateDate"));
        }
        table.print(out());
        return done();
    }

    @Command(name = "put-user-policy", mixinStandardHelpOptions = true,
            description = "Adds or replaces an inline policy of a user (iam PutUserPolicy).")
    int putUserPolicy(@Parameters(index = "0", paramLabel = "NAME", description = "The user name.") String userName,
                      @Parameters(index = "1", paramLabel = "POLICYNAME", description = "The policy name.") String policyName,
                      @Parameters(index = "2", paramLabel = "FILE", description = "The policy document (JSON); - reads standard input.")
                      String file) {
        String document = readPolicyDocument(file);
        iam().call("PutUserPolicy", "UserName", userName, "PolicyName", policyName, "PolicyDocument", document);
        out().println("put policy " + policyName + " on user " + userName);
        return done();
    }

    @Command(name = "get-user-policy", mixinStandardHelpOptions = true,
            description = "Prints an inline policy document of a user, as stored (iam GetUserPolicy).")
    int getUserPolicy(@Parameters(index = "0", paramLabel = "NAME", description = "The user name.") String userName,
                      @Parameters(index = "1", paramLabel = "POLICYNAME", description = "The policy name.") String policyName) {
        IamXmlResult policy = iam().call("GetUserPolicy", "UserName", userName, "PolicyName", policyName);
        String document = decodePolicyDocument(policy.text("PolicyDocument"));
        out().print(document.endsWith("\n") ? document : document + "\n");
        return done();
    }

    @Command(name = "delete-user-policy", mixinStandardHelpOptions = true,
            description = "Deletes an inline policy of a user (iam DeleteUserPolicy).")
    int deleteUserPolicy(@Parameters(index = "0", paramLabel = "NAME", description = "The user name.") String userName,
                         @Parameters(index = "1", paramLabel = "POLICYNAME", description = "The policy name.") String policyName) {
        iam().call("DeleteUserPolicy", "UserName", userName, "PolicyName", policyName);
        out().println("deleted policy " + policyName + " of user " + userName);
        return done();
    }

    @Command(name = "list-user-policies", mixinStandardHelpOptions = true,
            description = "Lists the names of a user's inline policies (iam ListUserPolicies).")
    int listUserPolicies(@Parameters(paramLabel = "NAME", description = "The user name.") String userName) {
        TextTable table = new TextTable("POLICY-NAME");
        for (IamXmlResult name : allPages(iam(), "ListUserPolicies", "PolicyNames", "UserName", userName)) {
            table.row(name.text());
        }
        table.print(out());
        return done();
    }

    private void printUser(IamXmlResult user) {
        TextTable.printFields(out(),
                "user-name", user.text("UserName"),
                "user-id", user.text("UserId"),
                "arn", user.text("Arn"),
                "path", user.text("Path"),
                "created", user.text("CreateDate"));
    }

    /** Every member of a paged list, following {@code Marker} until the answer is no longer truncated. */
    private static List<IamXmlResult> allPages(IamAdminClient iam, String action, String listName, String... parameters) {
        List<IamXmlResult> all = new ArrayList<>();
        String marker = null;
        do {
            String[] withMarker = Arrays.copyOf(parameters, parameters.length + 2);
            withMarker[parameters.length] = "Marker";
            withMarker[parameters.length + 1] = marker;
            IamXmlResult page = iam.call(action, withMarker);
            all.addAll(page.members(listName));
            marker = nextMarker(page, marker);
        } while (marker != null);
        return all;
    }

    private static String nextMarker(IamXmlResult page, String previous) {
        if (!page.truncated()) {
            return null;
        }
        String marker = page.text("Marker");
        if (marker.equals(previous)) {
            throw new CommandFailedException("the gateway returned the same page marker twice; stopping");
        }
        return marker;
    }

    private IamAdminClient iam() {
        ParseResult parsed = CommandSettings.leaf(spec);
        ServeConfig config = CommandSettings.resolve(environment, parsed, false);
        URI endpoint = endpoint(parsed.matchedOptionValue(ENDPOINT_URL, null), config);
        return new IamAdminClient(endpoint, config.region(), AdminCredentials.resolve(environment, config.dataDir()));
    }

    /**
     * The given URL, or the edge port of a gateway started with the same settings: on loopback when it
     * listens on every address, else on the one address it listens on.
     */
    static URI endpoint(String given, ServeConfig config) {
        if (given == null) {
            InetAddress bind = config.bindAddress();
            InetAddress host = bind.isAnyLocalAddress() ? InetAddress.ofLiteral("127.0.0.1") : bind;
            return URI.create(HostPort.httpUrl(new InetSocketAddress(host, config.httpPort())));
        }
        URI uri;
        try {
            uri = new URI(given.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // Not echoed: user info in a URL is a credential.
            throw new ConfigException(List.of(ENDPOINT_URL + ": must not contain user info (credentials); they are taken"
                    + " from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the root-credentials file"));
        }
        boolean http = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(List.of(ENDPOINT_URL + ": must be an http:// or https:// URL with a host and no"
                    + " query, such as http://127.0.0.1:" + ServeSetting.HTTP_PORT.defaultValue().orElseThrow()
                    + ", got " + given));
        }
        return uri;
    }

    private String readPolicyDocument(String file) {
        byte[] bytes;
        try {
            if (file.equals("-")) {
                InputStream in = System.in;
                bytes = in.readNBytes(MAX_POLICY_FILE_BYTES + 1);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(file))) {
                    bytes = in.readNBytes(MAX_POLICY_FILE_BYTES + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(List.of("FILE " + file + ": cannot read it (" + e + ")"));
        }
        if (bytes.length > MAX_POLICY_FILE_BYTES) {
            throw new ConfigException(List.of("FILE " + file + ": larger than " + MAX_POLICY_FILE_BYTES
                    + " bytes; an inline policy is at most 2,048 characters"));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of("FILE " + file + ": not UTF-8 text"));
        }
    }

    /**
     * GetUserPolicy returns the document percent-encoded (RFC 3986), as AWS does. A literal '+' is
     * kept: in that encoding it is not a space, unlike in HTML forms, which URLDecoder follows.
     */
    static String decodePolicyDocument(String encoded) {
        return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int done() {
        out().flush();
        return CommandLine.ExitCode.OK;
    }
}

package dev.coffer.kms.hsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fresh SoftHSM2 tokens for the integration tests of this JVM, in a temporary directory.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} once, at the first C_Initialize in the process, and does not
 * see tokens created after it. So the first call to {@link #get()} creates every token the tests
 * need (with {@code scripts/softhsm.sh init}, a separate process) and then points this process's C
 * environment at their configuration ({@link NativeEnvironment}), before any PKCS#11 call. All
 * SoftHSM tests of one JVM share these tokens and keep apart by using their own key labels. No Maven
 * environment configuration is needed, and the developer's own SoftHSM tokens are never touched.
 */
public final class SoftHsm2Fixture {
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String TOKEN_LABEL = "coffer-it";
    /**
     * A second token, so that finding the slot by label is really tested; its label starts with the
     * main one's, which catches prefix matching (as pkcs11-tool's {@code --token-label} does). Nothing
     * stays logged in to it.
     */
    static final String OTHER_TOKEN_LABEL = "coffer-it-other";
    /** Distinctive, so a test can search for it in every message and description. */
    static final String PIN = "pin-6b1f04c2e9";
    static final String SO_PIN = "so-pin-d37a58e1f0";

    private static SoftHsm2Fixture instance;

    private final Path directory;
    private final Path configFile;
    private final Path pinFile;

    private SoftHsm2Fixture(Path directory, Path configFile, Path pinFile) {
        this.directory = directory;
        this.configFile = configFile;
        this.pinFile = pinFile;
    }

    public static synchronized SoftHsm2Fixture get() throws IOException, InterruptedException {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    public Path pinFile() {
        return pinFile;
    }

    Path directory() {
        return directory;
    }

    private static SoftHsm2Fixture create() throws IOException, InterruptedException {
        if (!Files.isRegularFile(LIBRARY)) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + LIBRARY + " is missing):"
                    + " run scripts/install-prerequisites.sh (apt packages softhsm2 and opensc)");
        }
        Path directory = Files.createTempDirectory("coffer-softhsm2-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(directory)));
        Path script = repositoryFile("scripts/softhsm.sh");
        String config = null;
        for (String label : List.of(OTHER_TOKEN_LABEL, TOKEN_LABEL)) {
            Result init = run(List.of(script.toString(), "init", directory.toString(), label, PIN, SO_PIN), Map.of());
            if (init.exitCode != 0) {
                throw new IllegalStateException("scripts/softhsm.sh init failed: " + init.stderr);
            }
            config = init.stdout.strip();
        }
        NativeEnvironment.set("SOFTHSM2_CONF", config);
        if (!config.equals(NativeEnvironment.get("SOFTHSM2_CONF"))) {
            throw new IllegalStateException("SOFTHSM2_CONF could not be set in this process");
        }
        Pkcs11Slots.Listing listing;
        try {
            listing = Pkcs11Slots.list(LIBRARY);
        } catch (HsmException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (listing.tokens().stream().noneMatch(t -> t.label().equals(TOKEN_LABEL))) {
            throw new IllegalStateException("SoftHSM does not show the test token: it was initialised in this JVM"
                    + " before this fixture (with another SOFTHSM2_CONF); use SoftHsm2Fixture in every test that uses SoftHSM");
        }
        Path pinFile = directory.resolve("user.pin");
        Files.writeString(Files.createFile(pinFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), PIN + "\n");
        return new SoftHsm2Fixture(directory, Path.of(config), pinFile);
    }

    // ---- pkcs11-tool (OpenSC): the token as another process sees it

    /** One object as {@code pkcs11-tool --list-objects} prints it: its heading and its attributes. */
    public record TokenObject(String heading, Map<String, String> attributes) {
        String label() {
            return attributes.getOrDefault("label", "");
        }

        /** The {@code Access:} flags, e.g. [sensitive, always sensitive, never extractable, local]. */
        List<String> access() {
            return Stream.of(attributes.getOrDefault("Access", "").split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        }
    }

    public List<TokenObject> listObjects(String tokenLabel) throws IOException, InterruptedException {
        Result result = pkcs11Tool(tokenLabel, "--list-objects");
        if (result.exitCode != 0) {
            throw new IllegalStateException("pkcs11-tool --list-objects failed: " + result.stderr);
        }
        List<TokenObject> objects = new ArrayList<>();
        String heading = null;
        Map<String, String> attributes = null;
        for (String line : result.stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (heading != null) {
                    objects.add(new TokenObject(heading, attributes));
                }
                heading = line.strip();
                attributes = new LinkedHashMap<>();
            } else if (attributes != null) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    attributes.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        }
        if (heading != null) {
            objects.add(new TokenObject(heading, attributes));
        }
        return objects;
    }

    /**
     * Runs pkcs11-tool on a token, named by its slot id: pkcs11-tool's {@code --token-label} matches
     * prefixes, so "coffer-it" would also select "coffer-it-other".
     */
    Result pkcs11Tool(String tokenLabel, String... arguments) throws IOException, InterruptedException {
        long slot;
        try {
            slot = Pkcs11Slots.find(LIBRARY, tokenLabel).slotId();
        } catch (HsmException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", LIBRARY.toString(),
                "--slot", Long.toString(slot), "--login", "--pin", PIN));
        command.addAll(List.of(arguments));
        return run(command, Map.of("SOFTHSM2_CONF", configFile.toString()));
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Path stdout = Files.createTempFile("coffer-softhsm-out", ".txt");
        Path stderr = Files.createTempFile("coffer-softhsm-err", ".txt");
        try {
            builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** A file of this repository, found from the working directory (Maven runs tests in the module). */
    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit: the directory is under the system's temporary directory
        }
    }
}

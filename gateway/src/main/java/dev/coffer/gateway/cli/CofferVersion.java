package dev.coffer.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The Coffer version (from the build) and the runtime it runs on, as bug reports need them. */
final class CofferVersion {
    private static final String RESOURCE = "coffer-version.properties";
    /** What an unfiltered resource holds: a build that skipped Maven, e.g. straight from an IDE. */
    private static final String UNFILTERED = "${project.version}";

    private CofferVersion() {}

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" if the build did not stamp it. */
    static String cofferVersion() {
        Properties properties = new Properties();
        try (InputStream in = CofferVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = properties.getProperty("version", "").strip();
        return version.isEmpty() || version.equals(UNFILTERED) ? "unknown" : version;
    }

    /** Three lines: Coffer, the Java runtime (version, vendor, VM), the OS. */
    static List<String> describe() {
        return List.of(
                "coffer " + cofferVersion(),
                "java   " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")",
                "os     " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
    }

    /** For picocli's {@code --version}; instantiated by picocli, hence public with a public constructor. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return describe().toArray(String[]::new);
        }
    }
}

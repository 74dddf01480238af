package dev.coffer.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for benchmarks that write to disk: under the {@code coffer.bench.dir} system
 * property when set (scripts/bench-crypto.sh points it into perf/target, on the real disk, since
 * {@code /tmp} may be a tmpfs), else under {@code java.io.tmpdir}. Deleted with {@link #delete}.
 */
public final class BenchDirectories {
    private BenchDirectories() {}

    public static Path create(String prefix) throws IOException {
        String base = System.getProperty("coffer.bench.dir");
        if (base == null || base.isBlank()) {
            return Files.createTempDirectory(prefix);
        }
        Path parent = Files.createDirectories(Path.of(base));
        return Files.createTempDirectory(parent, prefix);
    }

    /** Deletes {@code directory} and everything under it; nothing if it is null or gone. */
    public static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}

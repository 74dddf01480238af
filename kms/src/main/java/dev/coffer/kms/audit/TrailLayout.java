package dev.coffer.kms.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the trail's files live and how they are named (docs/formats/audit-trail-v1.md, "Layout"):
 *
 * <pre>
 * &lt;dir&gt;/yyyy/MM/dd/coffer-kms-yyyyMMdd'T'HH'Z'[_n].jsonl
 * &lt;dir&gt;/digests/yyyy/MM/dd/coffer-kms-yyyyMMdd'T'HH'Z'[_n]-digest.json
 * </pre>
 *
 * A file is identified by a {@link FileKey}: its UTC hour and a sequence number, 1 for the first file
 * of an hour (no suffix), 2, 3, … for files opened later in the same hour after a restart. Relative
 * paths always use '/'.
 */
final class TrailLayout {
    static final String DIGESTS = "digests";
    static final String LOCK_FILE = ".lock";
    static final String TMP_SUFFIX = ".tmp";

    private static final String PREFIX = "coffer-kms-";
    private static final Pattern LOG_PATH = Pattern.compile(
            "(\\d{4})/(\\d{2})/(\\d{2})/coffer-kms-(\\d{8})T(\\d{2})Z(?:_([1-9]\\d{0,8}))?\\.jsonl");
    private static final Pattern DIGEST_PATH = Pattern.compile(
            "digests/(\\d{4})/(\\d{2})/(\\d{2})/coffer-kms-(\\d{8})T(\\d{2})Z(?:_([1-9]\\d{0,8}))?-digest\\.json");
    private static final DateTimeFormatter HOUR_NAME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HH").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY_DIRS = DateTimeFormatter.ofPattern("uuuu/MM/dd");

    private TrailLayout() {}

    /** A log file's identity: its hour and its sequence number within the hour. Ordered by time. */
    record FileKey(Instant hour, int sequence) implements Comparable<FileKey> {
        private static final Comparator<FileKey> ORDER =
                Comparator.comparing(FileKey::hour).thenComparingInt(FileKey::sequence);

        FileKey {
            if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
                throw new IllegalArgumentException("not an hour: " + hour);
            }
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence must be >= 1");
            }
        }

        String baseName() {
            LocalDateTime t = LocalDateTime.ofInstant(hour, ZoneOffset.UTC);
            return PREFIX + HOUR_NAME.format(t) + "Z" + (sequence == 1 ? "" : "_" + sequence);
        }

        private String dayDirs() {
            return DAY_DIRS.format(LocalDateTime.ofInstant(hour, ZoneOffset.UTC));
        }

        String logPath() {
            return dayDirs() + "/" + baseName() + ".jsonl";
        }

        String digestPath() {
            return DIGESTS + "/" + dayDirs() + "/" + baseName() + "-digest.json";
        }

        FileKey next() {
            return new FileKey(hour, sequence + 1);
        }

        @Override
        public int compareTo(FileKey other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return baseName();
        }
    }

    static Instant hourOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    static Optional<FileKey> parseLogPath(String relativePath) {
        return parse(LOG_PATH, relativePath);
    }

    static Optional<FileKey> parseDigestPath(String relativePath) {
        return parse(DIGEST_PATH, relativePath);
    }

    private static Optional<FileKey> parse(Pattern pattern, String relativePath) {
        if (relativePath == null) {
            return Optional.empty();
        }
        Matcher m = pattern.matcher(relativePath);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDateTime hour;
        try {
            hour = LocalDateTime.parse(m.group(4) + "T" + m.group(5), HOUR_NAME);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        // The day directories must agree with the name: a file moved to another day is not ours.
        if (!(m.group(1) + m.group(2) + m.group(3)).equals(m.group(4))) {
            return Optional.empty();
        }
        int sequence = m.group(6) == null ? 1 : Integer.parseInt(m.group(6));
        if (sequence == 1 && m.group(6) != null) {
            return Optional.empty(); // "_1" is never written: the first file of an hour has no suffix
        }
        return Optional.of(new FileKey(hour.toInstant(ZoneOffset.UTC), sequence));
    }

    static String relative(Path dir, Path file) {
        Path rel = dir.relativize(file);
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    /** What a directory walk found: files by key, plus anything that does not belong. */
    record Listing(TreeMap<FileKey, Path> files, List<String> unexpected, List<Path> leftoverTemporaries) {}

    /** The log files: every regular file outside {@code digests/}, except the lock file. */
    static Listing listLogs(Path dir) throws IOException {
        TreeMap<FileKey, Path> files = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        Path digests = dir.resolve(DIGESTS);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.startsWith(digests) || !Files.isRegularFile(p) || p.equals(dir.resolve(LOCK_FILE))) {
                    continue;
                }
                String rel = relative(dir, p);
                Optional<FileKey> key = parseLogPath(rel);
                if (key.isPresent()) {
                    files.put(key.get(), p);
                } else {
                    unexpected.add(rel);
                }
            }
        }
        return new Listing(files, unexpected, List.of());
    }

    /** The digest files under {@code digests/}; {@code *.tmp} files are digests that were never published. */
    static Listing listDigests(Path dir) throws IOException {
        TreeMap<FileKey, Path> files = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        List<Path> temporaries = new ArrayList<>();
        Path digests = dir.resolve(DIGESTS);
        if (!Files.isDirectory(digests)) {
            return new Listing(files, unexpected, temporaries);
        }
        try (Stream<Path> walk = Files.walk(digests)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String rel = relative(dir, p);
                Optional<FileKey> key = parseDigestPath(rel);
                if (key.isPresent()) {
                    files.put(key.get(), p);
                } else if (rel.endsWith(TMP_SUFFIX) && parseDigestPath(rel.substring(0, rel.length() - TMP_SUFFIX.length())).isPresent()) {
                    temporaries.add(p);
                } else {
                    unexpected.add(rel);
                }
            }
        }
        return new Listing(files, unexpected, temporaries);
    }

    /** Creates {@code directory} and its missing parents, syncing each parent so the new entries survive a crash. */
    static void createDirectoriesDurably(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            Files.createDirectories(missing.get(i));
            syncDirectory(missing.get(i).getParent());
        }
    }

    /** Makes a directory's entries durable (new or renamed files). A no-op where the platform cannot. */
    static void syncDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; their file systems order metadata themselves.
        }
    }
}

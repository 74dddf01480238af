package dev.coffer.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Where an interrupted {@code coffer s3 reencrypt} resumes: the last key before which every listed
 * object was re-encrypted or found already as asked. The file is replaced atomically (write a
 * temporary file, fsync, rename, fsync the directory), so a crash leaves either the old or the new
 * checkpoint, never half of one. Losing it is harmless: a run without it starts at the beginning and
 * skips, after a HEAD each, what is already encrypted as asked.
 */
final class ReencryptCheckpoint {
    static final String FORMAT = "coffer-s3-reencrypt-1";

    /** What a state file held. */
    record Saved(String afterKey, long objects) {}

    private final Path file;
    private final String identity;

    /**
     * @param identity what the run is (endpoint, bucket, prefix, target): a file written by another run is not used
     */
    private ReencryptCheckpoint(Path file, String identity) {
        this.file = file;
        this.identity = identity;
    }

    /** The state file for a run with this identity, in {@code dir}: {@code reencrypt-<bucket>-<hash>.state}. */
    static ReencryptCheckpoint in(Path dir, String bucket, String identity) {
        String name = "reencrypt-" + bucket + "-" + sha256(identity).substring(0, 16) + ".state";
        return new ReencryptCheckpoint(dir.resolve(name), identity);
    }

    /** A state file at this path, whatever its name. */
    static ReencryptCheckpoint at(Path file, String identity) {
        return new ReencryptCheckpoint(file, identity);
    }

    Path file() {
        return file;
    }

    /**
     * The saved position, if the file exists and was written by a run with the same identity.
     *
     * @throws CommandFailedException if the file exists but is not a state file of this run
     */
    Optional<Saved> load() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailedException("cannot read the state file " + file + " (" + e.getMessage()
                    + "); delete it or run with --restart");
        }
        if (!FORMAT.equals(properties.getProperty("format")) || properties.getProperty("after") == null) {
            throw new CommandFailedException(file + " is not a coffer s3 reencrypt state file; delete it or run with --restart");
        }
        if (!identity.equals(properties.getProperty("run"))) {
            throw new CommandFailedException("the state file " + file + " belongs to another run ("
                    + properties.getProperty("run") + "); give another --state-file, or --restart to overwrite it");
        }
        long objects;
        try {
            objects = Long.parseLong(properties.getProperty("objects", "0"));
        } catch (NumberFormatException e) {
            objects = 0;
        }
        return Optional.of(new Saved(properties.getProperty("after"), objects));
    }

    /** Replaces the file atomically and durably. */
    void save(String afterKey, long objects) {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("run", identity);
        properties.setProperty("after", afterKey);
        properties.setProperty("objects", Long.toString(objects));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            properties.store(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8) {
                @Override
                public void close() {}
            }, "coffer s3 reencrypt: resumes after the key 'after'; delete this file or use --restart to start over");
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            throw new CommandFailedException("cannot write the state file " + file + ": " + e.getMessage(), e);
        }
    }

    /** After a complete run: nothing to resume. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CommandFailedException("cannot delete the state file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a directory be opened or synced; the rename itself is atomic.
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

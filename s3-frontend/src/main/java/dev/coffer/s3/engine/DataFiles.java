package dev.coffer.s3.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The data directory: one file per large object or part, named by its random id, holding exactly
 * the bytes (no header; the record says how many). Files are created, written, forced and never
 * changed again; they are unlinked only after no committed record refers to them.
 */
final class DataFiles {
    static final String SUFFIX = ".data";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{" + 2 * DataRef.ID_BYTES + "}" + Pattern.quote(SUFFIX));
    private static final System.Logger LOG = System.getLogger(DataFiles.class.getName());

    private final Path directory;
    private final DirectorySync directorySync;
    private final SecureRandom random = new SecureRandom();

    private DataFiles(Path directory) {
        this.directory = directory;
        this.directorySync = new DirectorySync(() -> syncDirectory(directory));
    }

    /** Creates the directory if needed, durably. */
    static DataFiles open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            syncDirectory(directory.toAbsolutePath().getParent());
        }
        return new DataFiles(directory);
    }

    byte[] newId() {
        byte[] id = new byte[DataRef.ID_BYTES];
        random.nextBytes(id);
        return id;
    }

    /** A new, empty data file under a fresh id; CREATE_NEW so a clash of random ids cannot share a file. */
    NewFile create() throws IOException {
        while (true) {
            byte[] id = newId();
            try {
                return new NewFile(id, FileChannel.open(path(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                LOG.log(System.Logger.Level.WARNING, "random data id already in use; drawing another");
            }
        }
    }

    record NewFile(byte[] id, FileChannel channel) {
    }

    /** Makes the names of files created before this call durable (shared with concurrent callers). */
    void awaitDirectorySync() throws IOException {
        directorySync.awaitSyncStartedAfterNow();
    }

    /** Opens a referenced file for reading; missing or not exactly the recorded length is CORRUPT. */
    FileChannel openForRead(DataRef ref) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path(ref.id()), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new EngineException(EngineException.Kind.CORRUPT, "data file " + ref.fileName() + " is missing");
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.IO, "cannot open data file " + ref.fileName(), e);
        }
        try {
            long size = channel.size();
            if (size != ref.length()) {
                throw new EngineException(EngineException.Kind.CORRUPT, "data file " + ref.fileName() + " holds " + size
                        + " bytes where its record says " + ref.length());
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e instanceof EngineException ee ? ee
                    : new EngineException(EngineException.Kind.IO, "cannot read data file " + ref.fileName(), e);
        }
    }

    /**
     * Unlinks a file no committed record refers to. A failure is only logged: the file is then an
     * orphan, and orphans are removed when the store next opens.
     */
    void delete(byte[] id) {
        try {
            Files.deleteIfExists(path(id));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete data file " + DataRef.fileName(id) + "; it goes at next open", e);
        }
    }

    /** Deletes every data file whose name is not in {@code referenced}; returns how many. */
    int deleteUnreferenced(Set<String> referenced) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (NAME.matcher(name).matches() && !referenced.contains(name)) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    Path path(byte[] id) {
        return directory.resolve(DataRef.fileName(id));
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through a read channel, so there is nothing to lose.
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}

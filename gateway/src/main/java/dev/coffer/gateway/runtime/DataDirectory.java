package dev.coffer.gateway.runtime;

import dev.coffer.gateway.config.ServeSetting;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The directory that holds all of a gateway's state. */
final class DataDirectory {
    /** Owner only: the directory will hold key material and credentials, wrapped or not. */
    static final Set<PosixFilePermission> NEW_DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {}

    /**
     * Creates the directory, and any missing parents, with {@link #NEW_DIRECTORY_PERMISSIONS} where
     * the file system has POSIX permissions. An existing directory is used as it is: its permissions
     * are the operator's choice.
     *
     * @throws StartupException if it cannot be created or written
     */
    static Path prepare(Path directory) throws StartupException {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, ownerOnly());
                if (supportsPosix()) {
                    // mkdir applies the umask; set the mode explicitly so it is 0700 whatever the umask.
                    Files.setPosixFilePermissions(directory, NEW_DIRECTORY_PERMISSIONS);
                }
            }
        } catch (IOException e) {
            throw new StartupException(problem(directory, "cannot create it (" + e + ")"), e);
        }
        if (!Files.isWritable(directory)) {
            throw new StartupException(problem(directory, "this user cannot write to it"), null);
        }
        return directory;
    }

    private static String problem(Path directory, String reason) {
        return ServeSetting.DATA_DIR.option() + " " + directory + ": " + reason;
    }

    private static FileAttribute<?>[] ownerOnly() {
        return supportsPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(NEW_DIRECTORY_PERMISSIONS)}
                : new FileAttribute<?>[0];
    }

    private static boolean supportsPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

package dev.coffer.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void createsAMissingDirectoryForItsOwnerOnly() throws Exception {
        Path directory = temp.resolve("parent/data");

        DataDirectory.prepare(directory);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void leavesTheModeOfAnExistingDirectoryAlone() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));

        DataDirectory.prepare(directory);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwxr-x---");
    }

    @Test
    void failsNamingTheSettingWhenItCannotBeCreated() throws IOException {
        Path file = Files.createFile(temp.resolve("file"));

        assertThatThrownBy(() -> DataDirectory.prepare(file.resolve("data")))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("--data-dir " + file.resolve("data") + ": cannot create it");
    }
}

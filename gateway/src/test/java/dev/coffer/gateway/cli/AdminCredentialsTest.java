package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsTest {
    @TempDir
    Path dataDir;

    private void writeRootFile() throws IOException {
        Files.writeString(dataDir.resolve("root-credentials"),
                "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n");
    }

    @Test
    void awsVariablesWinOverRootVariablesAndTheFile() throws IOException {
        writeRootFile();

        AdminCredentials credentials = AdminCredentials.resolve(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAAWS", "AWS_SECRET_ACCESS_KEY", "aws-secret",
                "COFFER_ROOT_ACCESS_KEY", "AKIAROOT", "COFFER_ROOT_SECRET_KEY", "root-secret"), dataDir);

        assertThat(credentials.accessKeyId()).isEqualTo("AKIAAWS");
        assertThat(credentials.secretAccessKey()).isEqualTo("aws-secret");
    }

    @Test
    void rootVariablesWinOverTheFile() throws IOException {
        writeRootFile();

        AdminCredentials credentials = AdminCredentials.resolve(Map.of(
                "COFFER_ROOT_ACCESS_KEY", "AKIAROOT", "COFFER_ROOT_SECRET_KEY", "root-secret"), dataDir);

        assertThat(credentials.accessKeyId()).isEqualTo("AKIAROOT");
    }

    @Test
    void theRootCredentialsFileIsReadAsTheGatewayWritesIt() throws IOException {
        writeRootFile();

        AdminCredentials credentials = AdminCredentials.resolve(Map.of(), dataDir);

        assertThat(credentials.accessKeyId()).isEqualTo("AKIAFILE");
        assertThat(credentials.secretAccessKey()).isEqualTo("file-secret");
        assertThat(credentials.source()).isEqualTo(dataDir.resolve("root-credentials").toString());
    }

    @Test
    void theFirstCompleteSectionOfTheFileWins() throws IOException {
        Files.writeString(dataDir.resolve("root-credentials"), """
                # written by hand
                [partial]
                aws_access_key_id = AKIAPARTIAL
                [admin]
                AWS_ACCESS_KEY_ID=AKIAADMIN
                aws_secret_access_key=admin-secret
                [later]
                aws_access_key_id = AKIALATER
                aws_secret_access_key = later-secret
                """);

        assertThat(AdminCredentials.resolve(Map.of(), dataDir).accessKeyId()).isEqualTo("AKIAADMIN");
    }

    @Test
    void halfAPairOfVariablesIsAConfigurationError() {
        assertThatThrownBy(() -> AdminCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKIAAWS"), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessage("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither");
    }

    @Test
    void noCredentialsAnywhereIsAConfigurationErrorNamingTheFile() {
        assertThatThrownBy(() -> AdminCredentials.resolve(Map.of(), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                .hasMessageContaining(dataDir.resolve("root-credentials").toString());
    }

    @Test
    void toStringNamesTheKeyAndItsSourceButNotTheSecret() {
        AdminCredentials credentials = new AdminCredentials("AKIAAWS", "aws-secret", "AWS_ACCESS_KEY_ID");

        assertThat(credentials.toString()).contains("AKIAAWS").contains("AWS_ACCESS_KEY_ID").doesNotContain("aws-secret");
    }
}

package dev.coffer.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServeSettingTest {

    /** The names are a contract (DESIGN.md, "The coffer command"): scripts and users rely on them. */
    @Test
    void tableMatchesTheDocumentedContract() {
        assertThat(row(ServeSetting.CONFIG_FILE)).isEqualTo("--config | - | COFFER_CONFIG | none");
        assertThat(row(ServeSetting.DATA_DIR)).isEqualTo("--data-dir | coffer.gateway.data-dir | COFFER_DATA_DIR | ./data");
        assertThat(row(ServeSetting.HTTP_PORT)).isEqualTo("--http-port | coffer.gateway.http-port | COFFER_HTTP_PORT | 9000");
        assertThat(row(ServeSetting.HTTPS_PORT))
                .isEqualTo("--https-port | coffer.gateway.https-port | COFFER_HTTPS_PORT | 9443");
        assertThat(row(ServeSetting.TLS_CERT_FILE)).isEqualTo(
                "--tls-cert-file | coffer.gateway.tls-cert-file | COFFER_TLS_CERT_FILE | the development CA");
        assertThat(row(ServeSetting.TLS_KEY_FILE)).isEqualTo(
                "--tls-key-file | coffer.gateway.tls-key-file | COFFER_TLS_KEY_FILE | the development CA");
        assertThat(row(ServeSetting.NBD_PORT)).isEqualTo("--nbd-port | coffer.blockstore.nbd-port | COFFER_NBD_PORT | 10809");
        assertThat(row(ServeSetting.BLOCK_CACHE_SIZE)).isEqualTo(
                "--block-cache-size | coffer.blockstore.block-cache-size | COFFER_BLOCK_CACHE_SIZE | 134217728");
        assertThat(row(ServeSetting.ADMIN_PORT))
                .isEqualTo("--admin-port | coffer.gateway.admin-port | COFFER_ADMIN_PORT | 9090");
        assertThat(row(ServeSetting.BIND)).isEqualTo("--bind | coffer.gateway.bind | COFFER_BIND | 127.0.0.1");
        assertThat(row(ServeSetting.REGION)).isEqualTo("--region | coffer.gateway.region | COFFER_REGION | us-east-1");
        assertThat(row(ServeSetting.SERVICES))
                .isEqualTo("--services | coffer.gateway.services | COFFER_SERVICES | s3,kms,ec2,nbd");
        assertThat(row(ServeSetting.HSM)).isEqualTo("--hsm | coffer.kms.hsm | COFFER_HSM | software");
        assertThat(row(ServeSetting.PKCS11_LIBRARY))
                .isEqualTo("--pkcs11-library | coffer.kms.pkcs11-library | COFFER_PKCS11_LIBRARY | none");
        assertThat(row(ServeSetting.PKCS11_TOKEN_LABEL))
                .isEqualTo("--pkcs11-token-label | coffer.kms.pkcs11-token-label | COFFER_PKCS11_TOKEN_LABEL | none");
        assertThat(row(ServeSetting.PKCS11_PIN_FILE))
                .isEqualTo("--pkcs11-pin-file | coffer.kms.pkcs11-pin-file | COFFER_PKCS11_PIN_FILE | none");
        assertThat(row(ServeSetting.KMS_ENDPOINT))
                .isEqualTo("--kms-endpoint | coffer.kms.endpoint | COFFER_KMS_ENDPOINT | the embedded KMS");
        assertThat(row(ServeSetting.KMS_MAX_KEYS))
                .isEqualTo("--kms-max-keys | coffer.kms.max-keys | COFFER_KMS_MAX_KEYS | 10000");
        assertThat(row(ServeSetting.S3_SSE_C_OVER_HTTP))
                .isEqualTo("--s3-sse-c-over-http | coffer.s3.sse-c-over-http | COFFER_S3_SSE_C_OVER_HTTP | false");
        assertThat(ServeSetting.values()).hasSize(19);
    }

    private static String row(ServeSetting setting) {
        return String.join(" | ", setting.option(), setting.configKey().orElse("-"),
                setting.environmentVariable(), setting.defaultDescription());
    }

    @ParameterizedTest
    @EnumSource(ServeSetting.class)
    void environmentVariableIsCofferAndTheOptionInUpperSnakeCase(ServeSetting setting) {
        String expected = "COFFER_" + setting.option().substring(2).toUpperCase(Locale.ROOT).replace('-', '_');

        assertThat(setting.environmentVariable()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = ServeSetting.class, names = "CONFIG_FILE", mode = EnumSource.Mode.EXCLUDE)
    void configKeyIsNamespacedByTheOwningModuleAndFoundByItsKey(ServeSetting setting) {
        String key = setting.configKey().orElseThrow();

        assertThat(key).matches("coffer\\.(gateway|kms|blockstore|s3|auth)\\.[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(ServeSetting.byConfigKey(key)).contains(setting);
    }

    @Test
    void configFileCannotNameAnotherConfigFile() {
        assertThat(ServeSetting.CONFIG_FILE.configKey()).isEmpty();
        assertThat(ServeSetting.CONFIG_FILE.displayName()).isEqualTo("--config (COFFER_CONFIG)");
    }

    /** docs/CONFIGURATION.md is written by hand from this table; this keeps the two from drifting. */
    @ParameterizedTest
    @EnumSource(ServeSetting.class)
    void configurationDocumentHasARowForEverySetting(ServeSetting setting) throws IOException {
        String document = Files.readString(Path.of("..", "docs", "CONFIGURATION.md"));
        String expectedRow = "| `" + setting.option() + "` | "
                + setting.configKey().map(key -> "`" + key + "`").orElse("-") + " | `"
                + setting.environmentVariable() + "` | "
                + setting.defaultValue().map(value -> "`" + value + "`").orElse(setting.defaultDescription()) + " |";

        assertThat(document).contains(expectedRow);
    }
}

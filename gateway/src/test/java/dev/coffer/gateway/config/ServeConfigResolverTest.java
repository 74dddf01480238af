package dev.coffer.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.blockstore.engine.VolumeStoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServeConfigResolverTest {
    @TempDir
    Path temp;

    private final Map<ServeSetting, String> commandLine = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    private ServeConfig resolve() {
        return new ServeConfigResolver(environment).resolve(commandLine);
    }

    private List<String> problems() {
        return catchThrowableOfType(ConfigException.class, this::resolve).problems();
    }

    private Path configFile(String... lines) throws IOException {
        Path file = temp.resolve("coffer.properties");
        Files.write(file, List.of(lines));
        commandLine.put(ServeSetting.CONFIG_FILE, file.toString());
        return file;
    }

    @Test
    void appliesBuiltInDefaultsWhenNothingIsSet() throws IOException {
        ServeConfig config = resolve();

        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(config.httpPort()).isEqualTo(9000);
        assertThat(config.httpsPort()).hasValue(9443);
        assertThat(config.nbdPort()).isEqualTo(10809);
        assertThat(config.adminPort()).isEqualTo(9090);
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.services()).containsExactly(
                CofferService.S3, CofferService.KMS, CofferService.EC2, CofferService.NBD);
        assertThat(config.hsm()).isEqualTo(new HsmConfig.Software());
        assertThat(config.kmsEndpoint()).isEmpty();
        assertThat(config.tlsCertificate()).as("the development CA").isEmpty();
    }

    @Test
    void commandLineWinsOverEnvironmentAndConfigFile() throws IOException {
        configFile("coffer.gateway.http-port=7003");
        environment.put("COFFER_HTTP_PORT", "7002");
        commandLine.put(ServeSetting.HTTP_PORT, "7001");

        assertThat(resolve().httpPort()).isEqualTo(7001);
    }

    @Test
    void environmentWinsOverConfigFile() throws IOException {
        configFile("coffer.gateway.http-port=7003");
        environment.put("COFFER_HTTP_PORT", "7002");

        assertThat(resolve().httpPort()).isEqualTo(7002);
    }

    @Test
    void configFileWinsOverDefault() throws IOException {
        configFile("coffer.gateway.http-port=7003", "coffer.blockstore.nbd-port=7004", "coffer.kms.hsm=software");

        ServeConfig config = resolve();

        assertThat(config.httpPort()).isEqualTo(7003);
        assertThat(config.nbdPort()).isEqualTo(7004);
        assertThat(config.adminPort()).isEqualTo(9090);
    }

    @Test
    void layersApplyPerSettingNotPerSource() throws IOException {
        configFile("coffer.gateway.region=eu-west-1", "coffer.gateway.admin-port=7005");
        environment.put("COFFER_ADMIN_PORT", "7006");
        commandLine.put(ServeSetting.HTTP_PORT, "7001");

        ServeConfig config = resolve();

        assertThat(config.httpPort()).isEqualTo(7001);
        assertThat(config.adminPort()).isEqualTo(7006);
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.httpsPort()).hasValue(9443);
    }

    @Test
    void environmentCanNameTheConfigFile() throws IOException {
        Path file = configFile("coffer.gateway.region=ap-southeast-2");
        commandLine.remove(ServeSetting.CONFIG_FILE);
        environment.put("COFFER_CONFIG", file.toString());

        assertThat(resolve().region()).isEqualTo("ap-southeast-2");
    }

    @Test
    void trimsValuesSoTrailingBlanksInPropertiesFilesDoNotBreakThem() throws IOException {
        configFile("coffer.gateway.http-port=7003   ");
        environment.put("COFFER_REGION", " eu-central-1 ");

        ServeConfig config = resolve();

        assertThat(config.httpPort()).isEqualTo(7003);
        assertThat(config.region()).isEqualTo("eu-central-1");
    }

    @Test
    void emptyValueOnAHigherLayerSwitchesOffAnEndpointSetBelow() throws IOException {
        configFile("coffer.kms.endpoint=https://kms.us-east-1.amazonaws.com");
        assertThat(resolve().kmsEndpoint()).contains(URI.create("https://kms.us-east-1.amazonaws.com"));

        environment.put("COFFER_KMS_ENDPOINT", "");

        assertThat(resolve().kmsEndpoint()).isEmpty();
    }

    @Test
    void rejectsAnUnknownKeyUnderCofferByName() throws IOException {
        Path file = configFile("coffer.gateway.htp-port=7003");

        assertThat(problems()).containsExactly("coffer.gateway.htp-port (in config file " + file
                + "): unknown setting; 'coffer serve --help' lists the known keys");
    }

    @Test
    void ignoresKeysOutsideTheCofferNamespace() throws IOException {
        configFile("logging.level=debug", "java.io.tmpdir=/tmp");

        assertThat(resolve().httpPort()).isEqualTo(9000);
    }

    @Test
    void rejectsAMissingConfigFileNamingTheSetting() {
        commandLine.put(ServeSetting.CONFIG_FILE, temp.resolve("absent.properties").toString());

        assertThat(problems()).singleElement().asString()
                .startsWith("--config (COFFER_CONFIG): no such file, got ")
                .endsWith("absent.properties (from the command line)");
    }

    @Test
    void namesTheSettingTheRuleAndTheValueInTheDocumentedForm() {
        commandLine.put(ServeSetting.HTTP_PORT, "70000");

        assertThat(problems()).containsExactly(
                "--http-port (coffer.gateway.http-port / COFFER_HTTP_PORT): must be 0..65535, got 70000"
                        + " (from the command line)");
    }

    @Test
    void saysAnInvalidValueCameFromTheEnvironment() {
        environment.put("COFFER_ADMIN_PORT", "http");

        assertThat(problems()).containsExactly(
                "--admin-port (coffer.gateway.admin-port / COFFER_ADMIN_PORT): must be 0..65535, got http"
                        + " (from the environment)");
    }

    @Test
    void saysAnInvalidValueCameFromTheConfigFile() throws IOException {
        Path file = configFile("coffer.gateway.region=Mars");

        assertThat(problems()).containsExactly(
                "--region (coffer.gateway.region / COFFER_REGION): must be an AWS region name such as us-east-1,"
                        + " got Mars (from config file " + file + ")");
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(ServeSetting.HTTP_PORT, "70000"),
                Arguments.of(ServeSetting.HTTP_PORT, "-1"),
                Arguments.of(ServeSetting.HTTPS_PORT, "-2"),
                Arguments.of(ServeSetting.NBD_PORT, "nbd"),
                Arguments.of(ServeSetting.ADMIN_PORT, "65536"),
                Arguments.of(ServeSetting.DATA_DIR, ""),
                Arguments.of(ServeSetting.BIND, "not a host!"),
                Arguments.of(ServeSetting.BIND, "10.1"),
                Arguments.of(ServeSetting.BIND, "::zz"),
                Arguments.of(ServeSetting.REGION, "US-EAST-1"),
                Arguments.of(ServeSetting.REGION, "useast1"),
                Arguments.of(ServeSetting.SERVICES, "s3,s4"),
                Arguments.of(ServeSetting.SERVICES, "s3,nbd"),
                Arguments.of(ServeSetting.SERVICES, ","),
                Arguments.of(ServeSetting.HSM, "tpm"),
                Arguments.of(ServeSetting.BLOCK_CACHE_SIZE, "1048575"),
                Arguments.of(ServeSetting.BLOCK_CACHE_SIZE, "-1"),
                Arguments.of(ServeSetting.BLOCK_CACHE_SIZE, "4GiB"),
                Arguments.of(ServeSetting.BLOCK_CACHE_SIZE, "99999999999999999999"),
                Arguments.of(ServeSetting.KMS_ENDPOINT, "ftp://kms.example"),
                Arguments.of(ServeSetting.KMS_ENDPOINT, "kms.example:443"),
                Arguments.of(ServeSetting.CONFIG_FILE, "/no/such/coffer.properties"));
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("invalidValues")
    void everyValidationErrorNamesItsSettingAndTheValue(ServeSetting setting, String value) {
        commandLine.put(setting, value);

        assertThat(problems()).singleElement().asString()
                .startsWith(setting.displayName() + ": ")
                .contains("got " + (value.isEmpty() ? "\"\"" : value));
    }

    @Test
    void rejectsADataDirThatIsAFile() throws IOException {
        Path file = Files.createFile(temp.resolve("not-a-dir"));
        commandLine.put(ServeSetting.DATA_DIR, file.toString());

        assertThat(problems()).singleElement().asString()
                .startsWith("--data-dir (coffer.gateway.data-dir / COFFER_DATA_DIR): must be a directory");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        commandLine.put(ServeSetting.HTTP_PORT, "x");
        environment.put("COFFER_REGION", "x");
        environment.put("COFFER_HSM", "x");

        assertThat(problems()).hasSize(3)
                .anySatisfy(problem -> assertThat(problem).startsWith("--http-port "))
                .anySatisfy(problem -> assertThat(problem).startsWith("--region "))
                .anySatisfy(problem -> assertThat(problem).startsWith("--hsm "));
    }

    @Test
    void pkcs11RequiresLibraryTokenLabelAndPinFile() {
        commandLine.put(ServeSetting.HSM, "pkcs11");

        assertThat(problems()).containsExactly(
                "--pkcs11-library (coffer.kms.pkcs11-library / COFFER_PKCS11_LIBRARY): required when --hsm is pkcs11",
                "--pkcs11-token-label (coffer.kms.pkcs11-token-label / COFFER_PKCS11_TOKEN_LABEL):"
                        + " required when --hsm is pkcs11",
                "--pkcs11-pin-file (coffer.kms.pkcs11-pin-file / COFFER_PKCS11_PIN_FILE): required when --hsm is pkcs11");
    }

    @Test
    void pkcs11FilesMustExistAndTheLabelFitTheTokenField() throws IOException {
        commandLine.put(ServeSetting.HSM, "pkcs11");
        commandLine.put(ServeSetting.PKCS11_LIBRARY, temp.resolve("libsofthsm2.so").toString());
        commandLine.put(ServeSetting.PKCS11_TOKEN_LABEL, "x".repeat(33));
        commandLine.put(ServeSetting.PKCS11_PIN_FILE, Files.createDirectory(temp.resolve("pin")).toString());

        assertThat(problems()).satisfiesExactly(
                library -> assertThat(library).startsWith(ServeSetting.PKCS11_LIBRARY.displayName()
                        + ": must be a readable file, but it does not exist"),
                label -> assertThat(label).startsWith(ServeSetting.PKCS11_TOKEN_LABEL.displayName()
                        + ": must be at most 32 bytes"),
                pin -> assertThat(pin).startsWith(ServeSetting.PKCS11_PIN_FILE.displayName()
                        + ": must be a readable file, but it is not a regular file"));
    }

    @Test
    void pkcs11ConfigHoldsThePinFilePathButNeverThePin() throws IOException {
        Path library = Files.writeString(temp.resolve("libsofthsm2.so"), "not really a library");
        Path pinFile = Files.writeString(temp.resolve("user.pin"), "correct-horse-battery");
        configFile("coffer.kms.hsm=pkcs11", "coffer.kms.pkcs11-library=" + library,
                "coffer.kms.pkcs11-token-label=coffer", "coffer.kms.pkcs11-pin-file=" + pinFile);

        ServeConfig config = resolve();

        assertThat(config.hsm()).isEqualTo(new HsmConfig.Pkcs11(library, "coffer", pinFile));
        assertThat(config.toString()).contains(pinFile.toString()).doesNotContain("correct-horse-battery");
    }

    @Test
    void ignoresPkcs11SettingsWithTheSoftwareHsm() throws IOException {
        configFile("coffer.kms.hsm=pkcs11", "coffer.kms.pkcs11-library=/missing.so");
        commandLine.put(ServeSetting.HSM, "software");

        assertThat(resolve().hsm()).isEqualTo(new HsmConfig.Software());
    }

    @Test
    void rejectsTwoBoundServicesOnOnePort() {
        commandLine.put(ServeSetting.ADMIN_PORT, "9000");

        assertThat(problems()).containsExactly(
                "--http-port (coffer.gateway.http-port / COFFER_HTTP_PORT): must differ from --admin-port, both are 9000");
    }

    @Test
    void allowsPortZeroEverywhereAndCollisionsWithPortsNothingBinds() {
        commandLine.put(ServeSetting.HTTP_PORT, "0");
        commandLine.put(ServeSetting.HTTPS_PORT, "0");
        commandLine.put(ServeSetting.ADMIN_PORT, "0");
        commandLine.put(ServeSetting.SERVICES, "s3");
        commandLine.put(ServeSetting.NBD_PORT, "0");

        assertThat(resolve().adminPort()).isZero();

        commandLine.put(ServeSetting.NBD_PORT, "9443");
        commandLine.put(ServeSetting.HTTPS_PORT, "9443");
        assertThat(resolve().nbdPort()).isEqualTo(9443);
    }

    @Test
    void httpsPortMinusOneTurnsHttpsOffAndIgnoresTheCertificateSettings() throws IOException {
        configFile("coffer.gateway.tls-cert-file=/missing/server.pem");
        environment.put("COFFER_HTTPS_PORT", "-1");
        commandLine.put(ServeSetting.HTTP_PORT, "9443");

        ServeConfig config = resolve();

        assertThat(config.httpsPort()).isEmpty();
        assertThat(config.tlsCertificate()).isEmpty();
    }

    @Test
    void aPortThatCannotBeTurnedOffSaysSoAndHttpsSaysHow() {
        commandLine.put(ServeSetting.HTTP_PORT, "-1");
        commandLine.put(ServeSetting.HTTPS_PORT, "-5");

        assertThat(problems()).containsExactly(
                "--http-port (coffer.gateway.http-port / COFFER_HTTP_PORT): must be 0..65535, got -1 (from the command line)",
                "--https-port (coffer.gateway.https-port / COFFER_HTTPS_PORT): must be 0..65535, or -1 to turn it off,"
                        + " got -5 (from the command line)");
    }

    @Test
    void tlsCertificateAndKeyFilesComeAsAPair() throws IOException {
        Path certificate = Files.writeString(temp.resolve("server.pem"), "pem");
        commandLine.put(ServeSetting.TLS_CERT_FILE, certificate.toString());

        assertThat(problems()).containsExactly("--tls-key-file (coffer.gateway.tls-key-file / COFFER_TLS_KEY_FILE):"
                + " required when --tls-cert-file is set");

        commandLine.remove(ServeSetting.TLS_CERT_FILE);
        environment.put("COFFER_TLS_KEY_FILE", certificate.toString());

        assertThat(problems()).containsExactly("--tls-cert-file (coffer.gateway.tls-cert-file / COFFER_TLS_CERT_FILE):"
                + " required when --tls-key-file is set");
    }

    @Test
    void tlsFilesMustBeReadableFilesAndAreKeptAsPathsOnly() throws IOException {
        Path certificate = Files.writeString(temp.resolve("server.pem"), "certificate");
        Path key = Files.writeString(temp.resolve("server-key.pem"), "secret-key-bytes");
        configFile("coffer.gateway.tls-cert-file=" + certificate, "coffer.gateway.tls-key-file=" + temp);

        assertThat(problems()).singleElement().asString()
                .startsWith(ServeSetting.TLS_KEY_FILE.displayName() + ": must be a readable file, but it is not a regular file");

        commandLine.put(ServeSetting.TLS_KEY_FILE, key.toString());
        ServeConfig config = resolve();

        assertThat(config.tlsCertificate()).contains(new TlsCertificateFiles(certificate, key));
        assertThat(config.toString()).contains(key.toString()).doesNotContain("secret-key-bytes");
    }

    @Test
    void anEmptyCertificateSettingOnAHigherLayerSelectsTheDevelopmentCaAgain() throws IOException {
        Path certificate = Files.writeString(temp.resolve("server.pem"), "certificate");
        configFile("coffer.gateway.tls-cert-file=" + certificate, "coffer.gateway.tls-key-file=" + certificate);
        assertThat(resolve().tlsCertificate()).isPresent();

        environment.put("COFFER_TLS_CERT_FILE", "");
        environment.put("COFFER_TLS_KEY_FILE", "");

        assertThat(resolve().tlsCertificate()).isEmpty();
    }

    @Test
    void acceptsRegionNamesOfEveryShape() {
        for (String region : List.of("us-east-1", "us-gov-west-1", "ap-southeast-2", "eu-central-2", "il-central-1")) {
            commandLine.put(ServeSetting.REGION, region);
            assertThat(resolve().region()).isEqualTo(region);
        }
    }

    @Test
    void acceptsIpv6AndWildcardBindAddresses() throws IOException {
        commandLine.put(ServeSetting.BIND, "::1");
        assertThat(resolve().bindAddress()).isEqualTo(InetAddress.getByName("::1"));

        commandLine.put(ServeSetting.BIND, "0.0.0.0");
        assertThat(resolve().bindAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void readsServicesAsATrimmedSetInServiceOrder() {
        commandLine.put(ServeSetting.SERVICES, " nbd , s3,nbd,ec2 ");

        assertThat(resolve().services()).containsExactly(CofferService.S3, CofferService.EC2, CofferService.NBD);
    }

    @Test
    void resolvesDataDirToAnAbsoluteNormalisedPath() {
        commandLine.put(ServeSetting.DATA_DIR, temp + "/a/../state");

        assertThat(resolve().dataDir()).isEqualTo(temp.resolve("state"));
    }

    @Test
    void rejectsCredentialsInTheKmsEndpointWithoutEchoingThem() {
        commandLine.put(ServeSetting.KMS_ENDPOINT, "https://user:hunter2@kms.example");

        assertThat(problems()).singleElement().asString()
                .startsWith("--kms-endpoint ")
                .doesNotContain("hunter2");
    }

    @Test
    void configIsImmutable() {
        ServeConfig config = resolve();

        assertThatThrownBy(() -> config.services().add(CofferService.S3))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(EnumSet.copyOf(config.services())).hasSize(4);
    }

    @Test
    void sseCOverHttpIsOffUnlessSetToTrueAndOnlyBooleansAreAccepted() {
        assertThat(new ServeConfigResolver(Map.of()).resolve(Map.of()).s3SseCOverHttp()).isFalse();
        assertThat(new ServeConfigResolver(Map.of("COFFER_S3_SSE_C_OVER_HTTP", "true")).resolve(Map.of()).s3SseCOverHttp()).isTrue();
        assertThatThrownBy(() -> new ServeConfigResolver(Map.of("COFFER_S3_SSE_C_OVER_HTTP", "yes")).resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be true or false");
    }

    @Test
    void kmsKeyQuotaDefaultsToTenThousandAndRejectsNonsense() {
        assertThat(new ServeConfigResolver(Map.of()).resolve(Map.of()).kmsMaxKeys()).isEqualTo(10_000);
        assertThat(new ServeConfigResolver(Map.of("COFFER_KMS_MAX_KEYS", "25")).resolve(Map.of()).kmsMaxKeys()).isEqualTo(25);
        assertThatThrownBy(() -> new ServeConfigResolver(Map.of("COFFER_KMS_MAX_KEYS", "0")).resolve(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--kms-max-keys").hasMessageContaining("must be 1..100000");
    }

    @Test
    void blockCacheSizeDefaultsToTheVolumeEnginesAndTakesBytesFromEveryLayer() throws IOException {
        assertThat(resolve().blockCacheSizeBytes()).isEqualTo(128L << 20)
                .isEqualTo(VolumeStoreConfig.DEFAULT_BLOCK_CACHE_SIZE_BYTES);
        configFile("coffer.blockstore.block-cache-size=1048576");
        assertThat(resolve().blockCacheSizeBytes()).isEqualTo(1L << 20);
        environment.put("COFFER_BLOCK_CACHE_SIZE", "3221225472");
        assertThat(resolve().blockCacheSizeBytes()).isEqualTo(3L << 30);
        commandLine.put(ServeSetting.BLOCK_CACHE_SIZE, "268435456");
        assertThat(resolve().blockCacheSizeBytes()).isEqualTo(256L << 20);
    }

    @Test
    void aBlockCacheSizeWithAUnitOrBelowOneMiBIsRefusedSayingWhy() {
        commandLine.put(ServeSetting.BLOCK_CACHE_SIZE, "512MiB");

        assertThat(problems()).containsExactly("--block-cache-size (coffer.blockstore.block-cache-size / "
                + "COFFER_BLOCK_CACHE_SIZE): must be a number of bytes (digits only, no unit), at least 1048576, got 512MiB"
                + " (from the command line)");
    }
}

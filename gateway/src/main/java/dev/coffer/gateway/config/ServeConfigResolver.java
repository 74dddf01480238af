package dev.coffer.gateway.config;

import static dev.coffer.gateway.config.ServeSetting.ADMIN_PORT;
import static dev.coffer.gateway.config.ServeSetting.BLOCK_CACHE_SIZE;
import static dev.coffer.gateway.config.ServeSetting.CONFIG_FILE;
import static dev.coffer.gateway.config.ServeSetting.HTTPS_PORT;
import static dev.coffer.gateway.config.ServeSetting.HTTP_PORT;
import static dev.coffer.gateway.config.ServeSetting.KMS_MAX_KEYS;
import static dev.coffer.gateway.config.ServeSetting.S3_SSE_C_OVER_HTTP;
import static dev.coffer.gateway.config.ServeSetting.NBD_PORT;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns the raw settings of {@code coffer serve} into a {@link ServeConfig}, once, at start-up.
 * Precedence: command line, then environment, then config file, then the defaults of
 * {@link ServeSetting}. Every problem is collected and reported together, each naming its setting.
 */
public final class ServeConfigResolver {
    private final Map<String, String> environment;

    /**
     * @param environment the process environment ({@code System.getenv()}), injectable for tests
     */
    public ServeConfigResolver(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Resolves and validates.
     *
     * @param commandLine the options given on the command line, as typed
     * @throws ConfigException naming every invalid setting
     */
    public ServeConfig resolve(Map<ServeSetting, String> commandLine) {
        List<String> problems = new ArrayList<>();
        Optional<ConfigFile> configFile = new ConfigLayers(commandLine, environment, Optional.empty())
                .lookupNonEmpty(CONFIG_FILE)
                .flatMap(raw -> readConfigFile(raw, problems));
        configFile.ifPresent(file -> file.unknownCofferKeys().forEach(key -> problems.add(
                key + " (in config file " + file.path() + "): unknown setting; "
                        + "'coffer serve --help' lists the known keys")));

        var layers = new ConfigLayers(commandLine, environment, configFile);
        SettingValidator validator = new SettingValidator(layers, problems);
        Path dataDir = validator.dataDir();
        InetAddress bindAddress = validator.bindAddress();
        Map<ServeSetting, Integer> ports = new EnumMap<>(ServeSetting.class);
        for (ServeSetting port : List.of(HTTP_PORT, NBD_PORT, ADMIN_PORT)) {
            ports.put(port, validator.port(port));
        }
        ports.put(HTTPS_PORT, validator.port(HTTPS_PORT, true));
        boolean httpsOff = Objects.equals(ports.get(HTTPS_PORT), SettingValidator.PORT_OFF);
        // With HTTPS off the certificate settings are ignored, as the PKCS#11 ones are with --hsm software.
        Optional<TlsCertificateFiles> tlsCertificate = httpsOff ? Optional.empty() : validator.tlsCertificate();
        String region = validator.region();
        Set<CofferService> services = validator.services();
        HsmConfig hsm = validator.hsm();
        Optional<URI> kmsEndpoint = validator.kmsEndpoint();
        Integer kmsMaxKeys = validator.count(KMS_MAX_KEYS, ServeConfig.MAX_KMS_KEYS);
        Boolean sseCOverHttp = validator.bool(S3_SSE_C_OVER_HTTP);
        Long blockCacheSizeBytes = validator.bytes(BLOCK_CACHE_SIZE, ServeConfig.MIN_BLOCK_CACHE_SIZE_BYTES);
        if (problems.isEmpty()) {
            validator.checkPortsDistinct(ports, services);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        OptionalInt httpsPort = httpsOff ? OptionalInt.empty() : OptionalInt.of(ports.get(HTTPS_PORT));
        return new ServeConfig(dataDir, bindAddress, ports.get(HTTP_PORT), httpsPort, ports.get(NBD_PORT),
                ports.get(ADMIN_PORT), region, services, hsm, kmsEndpoint, kmsMaxKeys, tlsCertificate,
                sseCOverHttp, blockCacheSizeBytes);
    }

    private static Optional<ConfigFile> readConfigFile(RawSetting raw, List<String> problems) {
        try {
            return Optional.of(ConfigFile.read(Path.of(raw.text())));
        } catch (NoSuchFileException e) {
            problems.add(CONFIG_FILE.displayName() + ": no such file, " + raw.got());
        } catch (IOException | InvalidPathException e) {
            problems.add(CONFIG_FILE.displayName() + ": cannot read it as a UTF-8 properties file ("
                    + e.getMessage() + "), " + raw.got());
        } catch (IllegalArgumentException e) {
            problems.add(CONFIG_FILE.displayName() + ": not a valid properties file (" + e.getMessage() + "), "
                    + raw.got());
        }
        return Optional.empty();
    }
}

package dev.coffer.gateway.config;

import static dev.coffer.gateway.config.ServeSetting.ADMIN_PORT;
import static dev.coffer.gateway.config.ServeSetting.BIND;
import static dev.coffer.gateway.config.ServeSetting.DATA_DIR;
import static dev.coffer.gateway.config.ServeSetting.HSM;
import static dev.coffer.gateway.config.ServeSetting.HTTPS_PORT;
import static dev.coffer.gateway.config.ServeSetting.HTTP_PORT;
import static dev.coffer.gateway.config.ServeSetting.KMS_ENDPOINT;
import static dev.coffer.gateway.config.ServeSetting.NBD_PORT;
import static dev.coffer.gateway.config.ServeSetting.PKCS11_LIBRARY;
import static dev.coffer.gateway.config.ServeSetting.PKCS11_PIN_FILE;
import static dev.coffer.gateway.config.ServeSetting.PKCS11_TOKEN_LABEL;
import static dev.coffer.gateway.config.ServeSetting.REGION;
import static dev.coffer.gateway.config.ServeSetting.SERVICES;
import static dev.coffer.gateway.config.ServeSetting.TLS_CERT_FILE;
import static dev.coffer.gateway.config.ServeSetting.TLS_KEY_FILE;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the raw settings one at a time, recording a problem for each invalid one. Each method
 * returns the typed value, or null after recording a problem, so that every problem is found before
 * {@link ServeConfigResolver} reports them together.
 */
final class SettingValidator {
    /** AWS region names: a two-letter area, one or more words, a number (us-east-1, us-gov-west-1). */
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    /** RFC 1123 host names; checked before resolving so a typo is not sent to DNS. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** What a port that can be turned off is set to when it is; see {@link #port(ServeSetting, boolean)}. */
    static final int PORT_OFF = -1;
    /** CK_TOKEN_INFO.label is 32 bytes of UTF-8, blank-padded. */
    private static final int MAX_TOKEN_LABEL_BYTES = 32;

    private final ConfigLayers layers;
    private final List<String> problems;

    SettingValidator(ConfigLayers layers, List<String> problems) {
        this.layers = layers;
        this.problems = problems;
    }

    private void invalid(RawSetting raw, String requirement) {
        problems.add(raw.setting().displayName() + ": " + requirement + ", " + raw.got());
    }

    /** A setting with a built-in default: always has a value, which must not be blank. */
    private RawSetting withDefault(ServeSetting setting) {
        RawSetting raw = layers.lookup(setting).orElseThrow(
                () -> new IllegalStateException(setting + " has no default"));
        if (raw.text().isEmpty()) {
            invalid(raw, "must not be empty");
            return null;
        }
        return raw;
    }

    Path dataDir() {
        RawSetting raw = withDefault(DATA_DIR);
        if (raw == null) {
            return null;
        }
        Path path = path(raw);
        if (path != null && Files.exists(path) && !Files.isDirectory(path)) {
            invalid(raw, "must be a directory, but something else is there");
            return null;
        }
        return path;
    }

    InetAddress bindAddress() {
        RawSetting raw = withDefault(BIND);
        if (raw == null) {
            return null;
        }
        String text = raw.text();
        boolean looksNumeric = DIGITS_AND_DOTS.matcher(text).matches();
        if (looksNumeric && !DOTTED_QUAD.matcher(text).matches()) {
            // InetAddress would read "10.1" as 10.0.0.1; a bind address that short is a typo.
            invalid(raw, "must be an IPv4 address in dotted-quad form, an IPv6 address or a host name");
            return null;
        }
        if (looksNumeric || text.contains(":")) {
            try {
                return InetAddress.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                invalid(raw, "must be a valid IP address");
                return null;
            }
        }
        if (!HOST_NAME.matcher(text).matches()) {
            invalid(raw, "must be an IP address or a host name");
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            invalid(raw, "must be a host name that resolves");
            return null;
        }
    }

    Integer port(ServeSetting setting) {
        return port(setting, false);
    }

    /**
     * A port number, or {@link #PORT_OFF} where {@code canBeTurnedOff}: a number rather than a word
     * such as "off", so the setting stays a port in every layer, as Spring Boot's {@code server.port=-1}.
     */
    Integer port(ServeSetting setting, boolean canBeTurnedOff) {
        RawSetting raw = withDefault(setting);
        if (raw == null) {
            return null;
        }
        try {
            int port = Integer.parseInt(raw.text());
            if ((port >= 0 && port <= ServeConfig.MAX_PORT) || (canBeTurnedOff && port == PORT_OFF)) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same words as an out-of-range number
        }
        String turnOff = canBeTurnedOff ? ", or " + PORT_OFF + " to turn it off" : "";
        invalid(raw, "must be 0.." + ServeConfig.MAX_PORT + turnOff);
        return null;
    }

    /** A positive count of at most {@code max}. */
    Integer count(ServeSetting setting, int max) {
        RawSetting raw = withDefault(setting);
        if (raw == null) {
            return null;
        }
        try {
            int count = Integer.parseInt(raw.text());
            if (count >= 1 && count <= max) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same words as an out-of-range number
        }
        invalid(raw, "must be 1.." + max);
        return null;
    }

    /** A size in bytes, a plain decimal number of at least {@code min}. */
    Long bytes(ServeSetting setting, long min) {
        RawSetting raw = withDefault(setting);
        if (raw == null) {
            return null;
        }
        try {
            long bytes = Long.parseLong(raw.text());
            if (bytes >= min) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same words as a number that is too small
        }
        invalid(raw, "must be a number of bytes (digits only, no unit), at least " + min);
        return null;
    }

    Boolean bool(ServeSetting setting) {
        RawSetting raw = withDefault(setting);
        if (raw == null) {
            return null;
        }
        return switch (raw.text()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                invalid(raw, "must be true or false");
                yield null;
            }
        };
    }

    String region() {
        RawSetting raw = withDefault(REGION);
        if (raw == null) {
            return null;
        }
        if (!REGION_NAME.matcher(raw.text()).matches()) {
            invalid(raw, "must be an AWS region name such as us-east-1");
            return null;
        }
        return raw.text();
    }

    Set<CofferService> services() {
        RawSetting raw = withDefault(SERVICES);
        if (raw == null) {
            return null;
        }
        Set<CofferService> services = EnumSet.noneOf(CofferService.class);
        List<String> unknown = new ArrayList<>();
        for (String name : raw.text().split(",")) {
            String id = name.strip();
            if (!id.isEmpty()) {
                CofferService.byId(id).ifPresentOrElse(services::add, () -> unknown.add(id));
            }
        }
        if (!unknown.isEmpty()) {
            invalid(raw, "unknown service " + String.join(", ", unknown) + "; known: " + knownServices());
            return null;
        }
        if (services.isEmpty()) {
            invalid(raw, "must name at least one of " + knownServices());
            return null;
        }
        if (services.contains(CofferService.NBD) && !services.contains(CofferService.EC2)) {
            invalid(raw, "nbd exports the volumes that ec2 attaches: add ec2 too");
            return null;
        }
        return services;
    }

    private static String knownServices() {
        return String.join(", ", EnumSet.allOf(CofferService.class).stream().map(CofferService::id).toList());
    }

    HsmConfig hsm() {
        RawSetting raw = withDefault(HSM);
        if (raw == null) {
            return null;
        }
        return switch (raw.text()) {
            case "software" -> new HsmConfig.Software();
            case "pkcs11" -> pkcs11();
            default -> {
                invalid(raw, "must be software or pkcs11");
                yield null;
            }
        };
    }

    /**
     * The PKCS#11 settings matter only with {@code --hsm pkcs11}; otherwise they are ignored, so
     * a production config file can be tried with {@code --hsm software} without editing it.
     */
    private HsmConfig pkcs11() {
        Path library = requiredForPkcs11(PKCS11_LIBRARY).map(this::readableFile).orElse(null);
        String tokenLabel = requiredForPkcs11(PKCS11_TOKEN_LABEL).map(this::tokenLabel).orElse(null);
        Path pinFile = requiredForPkcs11(PKCS11_PIN_FILE).map(this::readableFile).orElse(null);
        if (library == null || tokenLabel == null || pinFile == null) {
            return null;
        }
        return new HsmConfig.Pkcs11(library, tokenLabel, pinFile);
    }

    private Optional<RawSetting> requiredForPkcs11(ServeSetting setting) {
        Optional<RawSetting> raw = layers.lookupNonEmpty(setting);
        if (raw.isEmpty()) {
            problems.add(setting.displayName() + ": required when " + HSM.option() + " is pkcs11");
        }
        return raw;
    }

    private String tokenLabel(RawSetting raw) {
        int bytes = raw.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOKEN_LABEL_BYTES) {
            invalid(raw, "must be at most " + MAX_TOKEN_LABEL_BYTES + " bytes of UTF-8 (PKCS#11 token label), is "
                    + bytes);
            return null;
        }
        return raw.text();
    }

    /**
     * The operator's certificate and key, which come as a pair: one without the other is a mistake,
     * not a request for the development CA. Only whether the files can be read is checked here; what
     * is in them is checked when the HTTPS listener loads them, with errors naming the same settings.
     */
    Optional<TlsCertificateFiles> tlsCertificate() {
        Optional<RawSetting> certificate = layers.lookupNonEmpty(TLS_CERT_FILE);
        Optional<RawSetting> key = layers.lookupNonEmpty(TLS_KEY_FILE);
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (certificate.isEmpty()) {
            problems.add(TLS_CERT_FILE.displayName() + ": required when " + TLS_KEY_FILE.option() + " is set");
        }
        if (key.isEmpty()) {
            problems.add(TLS_KEY_FILE.displayName() + ": required when " + TLS_CERT_FILE.option() + " is set");
        }
        Path certificateFile = certificate.map(this::readableFile).orElse(null);
        Path keyFile = key.map(this::readableFile).orElse(null);
        if (certificateFile == null || keyFile == null) {
            return Optional.empty();
        }
        return Optional.of(new TlsCertificateFiles(certificateFile, keyFile));
    }

    /** Checks the file can be opened; never reads it (the PIN file's content is a secret). */
    private Path readableFile(RawSetting raw) {
        Path path = path(raw);
        if (path == null) {
            return null;
        }
        if (!Files.exists(path)) {
            invalid(raw, "must be a readable file, but it does not exist");
        } else if (!Files.isRegularFile(path)) {
            invalid(raw, "must be a readable file, but it is not a regular file");
        } else if (!Files.isReadable(path)) {
            invalid(raw, "must be a readable file, but this user cannot read it");
        } else {
            return path;
        }
        return null;
    }

    Optional<URI> kmsEndpoint() {
        Optional<RawSetting> configured = layers.lookupNonEmpty(KMS_ENDPOINT);
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        RawSetting raw = configured.get();
        URI uri;
        try {
            uri = new URI(raw.text());
        } catch (URISyntaxException e) {
            invalid(raw, "must be an http:// or https:// URL");
            return Optional.empty();
        }
        boolean httpScheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!httpScheme || uri.getHost() == null) {
            invalid(raw, "must be an http:// or https:// URL with a host");
        } else if (uri.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and process listings; the SDK takes them elsewhere.
            problems.add(KMS_ENDPOINT.displayName() + ": must not contain user info (credentials)");
        } else {
            return Optional.of(uri);
        }
        return Optional.empty();
    }

    private Path path(RawSetting raw) {
        try {
            return Path.of(raw.text()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            invalid(raw, "must be a valid path (" + e.getReason() + ")");
            return null;
        }
    }

    /** Two services cannot listen on one port; only ports that will actually be bound count. */
    void checkPortsDistinct(Map<ServeSetting, Integer> ports, Set<CofferService> services) {
        List<ServeSetting> bound = new ArrayList<>(List.of(ADMIN_PORT));
        if (services.stream().anyMatch(CofferService::usesEdgePorts)) {
            bound.add(HTTP_PORT);
            bound.add(HTTPS_PORT);
        }
        if (services.contains(CofferService.NBD)) {
            bound.add(NBD_PORT);
        }
        Map<Integer, ServeSetting> owners = new HashMap<>();
        for (ServeSetting setting : bound) {
            int port = ports.get(setting);
            ServeSetting owner = port <= 0 ? null : owners.putIfAbsent(port, setting);
            if (owner != null) {
                problems.add(setting.displayName() + ": must differ from " + owner.option() + ", both are " + port);
            }
        }
    }
}

package dev.coffer.gateway.config;

import java.util.Optional;

/**
 * The one table of {@code coffer serve} settings: each has a command-line option, a config-file key
 * ({@code coffer.<module>.<name>}, owned by the module that uses it), an environment variable
 * ({@code COFFER_} + the option in upper snake case) and a built-in default. The CLI options, the
 * config-file key check, the help text and docs/CONFIGURATION.md all come from here, so a setting
 * cannot exist in one place and be missing in another.
 *
 * <p>Raw values are echoed in validation errors. None of these settings is secret: the PKCS#11 PIN
 * is a file, and only its path is a setting. A secret setting would need its own, non-echoing path.
 */
public enum ServeSetting {
    /** Not settable in the config file itself: a file that names another file would only confuse. */
    CONFIG_FILE("--config", null, "COFFER_CONFIG", null, "FILE",
            "Java properties file with coffer.* settings."),
    DATA_DIR("--data-dir", "coffer.gateway.data-dir", "COFFER_DATA_DIR", "./data", "DIR",
            "Directory for all state; created 0700 if missing."),
    HTTP_PORT("--http-port", "coffer.gateway.http-port", "COFFER_HTTP_PORT", "9000", "PORT",
            "Edge port for S3, KMS and EC2 over HTTP; 0 picks a free port."),
    HTTPS_PORT("--https-port", "coffer.gateway.https-port", "COFFER_HTTPS_PORT", "9443", "PORT",
            "Edge port for S3, KMS and EC2 over HTTPS; 0 picks a free port; -1 turns HTTPS off."),
    TLS_CERT_FILE("--tls-cert-file", "coffer.gateway.tls-cert-file", "COFFER_TLS_CERT_FILE", null, "FILE",
            "PEM certificate chain for the HTTPS port, server certificate first; with --tls-key-file."),
    TLS_KEY_FILE("--tls-key-file", "coffer.gateway.tls-key-file", "COFFER_TLS_KEY_FILE", null, "FILE",
            "PEM private key (unencrypted) of --tls-cert-file's certificate."),
    NBD_PORT("--nbd-port", "coffer.blockstore.nbd-port", "COFFER_NBD_PORT", "10809", "PORT",
            "NBD port for attached volumes; 0 picks a free port."),
    BLOCK_CACHE_SIZE("--block-cache-size", "coffer.blockstore.block-cache-size", "COFFER_BLOCK_CACHE_SIZE", "134217728",
            "BYTES", "Bytes of memory caching the volumes' block table (RocksDB block cache, shared by all volumes); at least 1048576."),
    ADMIN_PORT("--admin-port", "coffer.gateway.admin-port", "COFFER_ADMIN_PORT", "9090", "PORT",
            "Admin port (/health, /metrics); 0 picks a free port."),
    BIND("--bind", "coffer.gateway.bind", "COFFER_BIND", "127.0.0.1", "ADDRESS",
            "Address every port listens on."),
    REGION("--region", "coffer.gateway.region", "COFFER_REGION", "us-east-1", "REGION",
            "AWS region name this gateway answers as."),
    SERVICES("--services", "coffer.gateway.services", "COFFER_SERVICES", "s3,kms,ec2,nbd", "LIST",
            "Comma-separated services to run, from s3, kms, ec2, nbd."),
    HSM("--hsm", "coffer.kms.hsm", "COFFER_HSM", "software", "KIND",
            "Where master keys live: software (development) or pkcs11."),
    PKCS11_LIBRARY("--pkcs11-library", "coffer.kms.pkcs11-library", "COFFER_PKCS11_LIBRARY", null, "FILE",
            "PKCS#11 module (.so); required with --hsm pkcs11."),
    PKCS11_TOKEN_LABEL("--pkcs11-token-label", "coffer.kms.pkcs11-token-label", "COFFER_PKCS11_TOKEN_LABEL",
            null, "LABEL", "Label of the PKCS#11 token; required with --hsm pkcs11."),
    PKCS11_PIN_FILE("--pkcs11-pin-file", "coffer.kms.pkcs11-pin-file", "COFFER_PKCS11_PIN_FILE", null, "FILE",
            "File holding the token's user PIN; required with --hsm pkcs11."),
    KMS_ENDPOINT("--kms-endpoint", "coffer.kms.endpoint", "COFFER_KMS_ENDPOINT", null, "URL",
            "URL of a remote KMS: AWS KMS or another Coffer; empty means embedded."),
    KMS_MAX_KEYS("--kms-max-keys", "coffer.kms.max-keys", "COFFER_KMS_MAX_KEYS", "10000", "COUNT",
            "Most KMS keys the account may have (CreateKey beyond it: LimitExceededException)."),
    S3_SSE_C_OVER_HTTP("--s3-sse-c-over-http", "coffer.s3.sse-c-over-http", "COFFER_S3_SSE_C_OVER_HTTP", "false", "BOOLEAN",
            "Accept SSE-C keys over plain HTTP (AWS never does; for testing and benchmarks only).");

    private final String option;
    private final String configKey;
    private final String environmentVariable;
    private final String defaultValue;
    private final String valueLabel;
    private final String description;

    ServeSetting(String option, String configKey, String environmentVariable, String defaultValue,
                 String valueLabel, String description) {
        this.option = option;
        this.configKey = configKey;
        this.environmentVariable = environmentVariable;
        this.defaultValue = defaultValue;
        this.valueLabel = valueLabel;
        this.description = description;
    }

    /** The long option, e.g. {@code --http-port}. */
    public String option() {
        return option;
    }

    /** The config-file key, e.g. {@code coffer.gateway.http-port}; empty for {@link #CONFIG_FILE}. */
    public Optional<String> configKey() {
        return Optional.ofNullable(configKey);
    }

    /** The environment variable, e.g. {@code COFFER_HTTP_PORT}. */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** The built-in default as the user would type it; empty when the setting is off by default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as help text and docs show it: the value, or what being unset means. */
    public String defaultDescription() {
        if (defaultValue != null) {
            return defaultValue;
        }
        return switch (this) {
            case KMS_ENDPOINT -> "the embedded KMS";
            case TLS_CERT_FILE, TLS_KEY_FILE -> "the development CA";
            default -> "none";
        };
    }

    /** Placeholder for the value in help text, e.g. {@code PORT}. */
    public String valueLabel() {
        return valueLabel;
    }

    /** One sentence for help text. */
    public String description() {
        return description;
    }

    /** How errors name this setting: all the places a user might have set it. */
    public String displayName() {
        return configKey == null
                ? option + " (" + environmentVariable + ")"
                : option + " (" + configKey + " / " + environmentVariable + ")";
    }

    /** The setting whose config-file key is {@code key}, if any. */
    public static Optional<ServeSetting> byConfigKey(String key) {
        for (ServeSetting setting : values()) {
            if (key.equals(setting.configKey)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }
}

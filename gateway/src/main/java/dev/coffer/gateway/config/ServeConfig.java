package dev.coffer.gateway.config;

import dev.coffer.blockstore.engine.VolumeStoreConfig;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The validated configuration of {@code coffer serve}. Built only by {@link ServeConfigResolver},
 * which reports bad input with the setting's name; the checks here guard against programming errors.
 *
 * @param dataDir     absolute, normalised directory for all state
 * @param bindAddress address every port listens on
 * @param httpPort    edge port over HTTP; 0 means a free port chosen at bind time
 * @param httpsPort   edge port over HTTPS; 0 means a free port; empty means HTTPS is off
 * @param nbdPort     NBD port; 0 means a free port
 * @param adminPort   admin port; 0 means a free port
 * @param region      AWS region name, e.g. {@code us-east-1}
 * @param services    the services to run, in declaration order, never empty
 * @param hsm         where master keys live
 * @param kmsEndpoint a remote KMS; empty means the embedded one
 * @param kmsMaxKeys  the most KMS keys the account may have
 * @param tlsCertificate the operator's certificate for the HTTPS port; empty means the development CA
 * @param s3SseCOverHttp whether S3 accepts SSE-C keys over plain HTTP (testing only)
 * @param blockCacheSizeBytes the volume engine's block cache, at least {@link #MIN_BLOCK_CACHE_SIZE_BYTES}
 */
public record ServeConfig(
        Path dataDir,
        InetAddress bindAddress,
        int httpPort,
        OptionalInt httpsPort,
        int nbdPort,
        int adminPort,
        String region,
        Set<CofferService> services,
        HsmConfig hsm,
        Optional<URI> kmsEndpoint,
        int kmsMaxKeys,
        Optional<TlsCertificateFiles> tlsCertificate,
        boolean s3SseCOverHttp,
        long blockCacheSizeBytes) {

    public static final int MAX_PORT = 65_535;
    /** AWS's own default quota per account and region, the largest Coffer accepts. */
    public static final int MAX_KMS_KEYS = 100_000;
    /** The volume engine's own lower bound: a smaller cache would hold too few table blocks to help. */
    public static final long MIN_BLOCK_CACHE_SIZE_BYTES = VolumeStoreConfig.MIN_BLOCK_CACHE_SIZE_BYTES;

    public ServeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(hsm, "hsm");
        Objects.requireNonNull(kmsEndpoint, "kmsEndpoint");
        Objects.requireNonNull(httpsPort, "httpsPort");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("dataDir must be absolute: " + dataDir);
        }
        for (int port : new int[] {httpPort, httpsPort.orElse(0), nbdPort, adminPort}) {
            if (port < 0 || port > MAX_PORT) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (kmsMaxKeys < 1 || kmsMaxKeys > MAX_KMS_KEYS) {
            throw new IllegalArgumentException("kmsMaxKeys out of range: " + kmsMaxKeys);
        }
        if (blockCacheSizeBytes < MIN_BLOCK_CACHE_SIZE_BYTES) {
            throw new IllegalArgumentException("blockCacheSizeBytes too small: " + blockCacheSizeBytes);
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("services must not be empty");
        }
        services = Collections.unmodifiableSet(EnumSet.copyOf(services));
    }
}

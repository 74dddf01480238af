package dev.coffer.kms;

import java.time.Duration;

/**
 * The KMS's typed settings (keys {@code coffer.kms.*}).
 *
 * @param region the region in ARNs and credential scopes
 * @param maxKeysPerAccount LimitExceededException beyond this many keys (AWS default 100,000; Coffer 10,000)
 * @param maxRequestBodyBytes largest JSON body accepted (a 4 KiB Encrypt plaintext is ~5.5 KiB of base64)
 * @param requestsPerSecond a token-bucket rate per account for cryptographic operations (ThrottlingException beyond)
 * @param requestTimeout how long one request may take
 */
public record KmsConfig(String region, int maxKeysPerAccount, int maxRequestBodyBytes, int requestsPerSecond,
                        Duration requestTimeout) {
    public static final int DEFAULT_MAX_KEYS_PER_ACCOUNT = 10_000;

    public static KmsConfig defaults(String region) {
        return new KmsConfig(region, DEFAULT_MAX_KEYS_PER_ACCOUNT, 64 * 1024, 50_000, Duration.ofSeconds(30));
    }
}

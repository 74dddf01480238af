package dev.coffer.kms.core;

import java.util.Map;

/**
 * Keys that Coffer's own services use as themselves, not for a requester: today only the SSE-S3
 * service key, which wraps the data keys of objects stored with SSE-S3 ({@code AES256}). AWS keeps
 * the equivalent key inside S3, out of every customer's reach; here it lives in the KMS (so its
 * material stays in the HSM and every use is audited) but is shaped to be just as out of reach:
 *
 * <ul>
 *   <li>created on first use, like the AWS managed keys, with key manager {@code AWS} so every
 *       management operation refuses it;</li>
 *   <li>its policy lets only the service principal ({@code s3.amazonaws.com}, i.e. the S3 front end
 *       signing with its in-memory service credential) use it, and the account root only read its
 *       metadata; no user, not even root, can encrypt or decrypt with it or change it;</li>
 *   <li>the alias prefix {@code alias/coffer/} is reserved, so nobody can point a name here at
 *       another key, and it is not listed before it exists (it is Coffer's, not AWS's).</li>
 * </ul>
 */
public final class CofferServiceKeys {
    public static final String SSE_S3_ALIAS = "alias/coffer/sse-s3";
    /** The prefix customers may not create, update or delete aliases under. */
    public static final String RESERVED_ALIAS_PREFIX = "alias/coffer/";
    public static final int ROTATION_PERIOD_DAYS = 365;

    /** Alias -> (service short name, description). */
    private static final Map<String, Definition> KEYS = Map.of(SSE_S3_ALIAS, new Definition("s3",
            "Coffer SSE-S3 service key: protects the data keys of objects stored with SSE-S3"));

    private record Definition(String service, String description) {}

    private CofferServiceKeys() {}

    public static boolean isServiceKeyAlias(String aliasName) {
        return KEYS.containsKey(aliasName);
    }

    public static boolean isReserved(String aliasName) {
        return aliasName.startsWith(RESERVED_ALIAS_PREFIX);
    }

    public static String description(String aliasName) {
        return definition(aliasName).description();
    }

    /**
     * The service key's policy: the service principal may use it for cryptography (no
     * {@code kms:ViaService}: the service calls as itself), the account root may describe it, and
     * nobody may manage it.
     */
    public static String policy(String account, String aliasName) {
        String servicePrincipal = definition(aliasName).service() + ".amazonaws.com";
        return """
                {
                  "Version": "2012-10-17",
                  "Id": "coffer-service-key-%1$s",
                  "Statement": [
                    {
                      "Sid": "Allow use by the %1$s service itself",
                      "Effect": "Allow",
                      "Principal": {"Service": "%2$s"},
                      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                      "Resource": "*"
                    },
                    {
                      "Sid": "Allow direct access to key metadata to the account",
                      "Effect": "Allow",
                      "Principal": {"AWS": "arn:aws:iam::%3$s:root"},
                      "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
                      "Resource": "*"
                    }
                  ]
                }""".formatted(definition(aliasName).service(), servicePrincipal, account);
    }

    private static Definition definition(String aliasName) {
        Definition d = KEYS.get(aliasName);
        if (d == null) {
            throw new IllegalArgumentException("not a Coffer service key alias: " + aliasName);
        }
        return d;
    }
}

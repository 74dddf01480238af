package dev.coffer.kms.core;

import java.util.Set;

/**
 * The AWS managed keys Coffer's own services use ({@code aws/s3}, {@code aws/ebs}): created on first
 * use, rotated every year, and not deletable, re-policiable or rotation-disableable.
 */
public final class AwsManagedKeys {
    /** The services whose managed keys exist here, by alias. */
    public static final Set<String> ALIASES = Set.of("alias/aws/s3", "alias/aws/ebs");
    public static final int ROTATION_PERIOD_DAYS = 365;

    private AwsManagedKeys() {}

    public static boolean isAwsManagedAlias(String aliasName) {
        return ALIASES.contains(aliasName);
    }

    /** The reserved alias prefix customers may not create aliases under. */
    public static boolean isReserved(String aliasName) {
        return aliasName.startsWith("alias/aws/");
    }

    /** {@code s3} for {@code alias/aws/s3}. */
    public static String service(String aliasName) {
        return aliasName.substring("alias/aws/".length());
    }

    /**
     * The managed key's policy, AWS's shape: anyone in the account may use it through the service
     * (kms:ViaService + kms:CallerAccount), and may describe it; nobody may manage it.
     */
    public static String policy(String account, String region, String service) {
        String via = service.equals("ebs") ? "ec2" : service;
        return """
                {
                  "Version": "2012-10-17",
                  "Id": "auto-%1$s",
                  "Statement": [
                    {
                      "Sid": "Allow access through %1$s for all principals in the account that are authorized to use %1$s",
                      "Effect": "Allow",
                      "Principal": {"AWS": "*"},
                      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                      "Resource": "*",
                      "Condition": {"StringEquals": {"kms:CallerAccount": "%2$s", "kms:ViaService": "%4$s.%3$s.amazonaws.com"}}
                    },
                    {
                      "Sid": "Allow direct access to key metadata to the account",
                      "Effect": "Allow",
                      "Principal": {"AWS": "arn:aws:iam::%2$s:root"},
                      "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
                      "Resource": "*"
                    }
                  ]
                }""".formatted(service, account, region, via);
    }
}

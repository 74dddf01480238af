package dev.coffer.kms.core;

/** KMS ARNs: {@code arn:aws:kms:<region>:<account>:key/<id>} and {@code ...:alias/<name>}. */
public final class Arns {
    private Arns() {}

    public static String keyArn(String region, String account, String keyId) {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
    }

    /** Alias names include their {@code alias/} prefix. */
    public static String aliasArn(String region, String account, String aliasName) {
        return "arn:aws:kms:" + region + ":" + account + ":" + aliasName;
    }
}

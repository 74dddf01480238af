package dev.coffer.blockstore.ec2;

/**
 * An account's EBS encryption settings in this region (record format {@value #VERSION}, under
 * {@code ec2/settings/<account>}).
 *
 * @param defaultKmsKeyArn the key ModifyEbsDefaultKmsKeyId set, or null for the AWS-managed
 *     {@code alias/aws/ebs}
 */
public record Ec2AccountSettings(int version, boolean encryptionByDefault, String defaultKmsKeyArn) {
    public static final int VERSION = 1;

    static Ec2AccountSettings initial() {
        return new Ec2AccountSettings(VERSION, false, null);
    }

    Ec2AccountSettings withEncryptionByDefault(boolean enabled) {
        return new Ec2AccountSettings(version, enabled, defaultKmsKeyArn);
    }

    Ec2AccountSettings withDefaultKey(String keyArn) {
        return new Ec2AccountSettings(version, encryptionByDefault, keyArn);
    }
}

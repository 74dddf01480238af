package dev.coffer.blockstore.ec2;

import java.util.List;

/**
 * The account's EBS encryption defaults in this region: encryption by default (which forces
 * encryption of new volumes and of copies of unencrypted snapshots) and the default KMS key (the
 * AWS-managed {@code alias/aws/ebs} until one is set). The key is resolved to its ARN when set, so a
 * key that does not exist or is not usable is refused then.
 */
final class EncryptionDefaultOperations {
    private final Ec2Context ctx;

    EncryptionDefaultOperations(Ec2Context ctx) {
        this.ctx = ctx;
    }

    List<Ec2XmlNode> enable(Ec2Request request) {
        return setEncryptionByDefault(request, true);
    }

    List<Ec2XmlNode> disable(Ec2Request request) {
        return setEncryptionByDefault(request, false);
    }

    private List<Ec2XmlNode> setEncryptionByDefault(Ec2Request request, boolean enabled) {
        request.authorize("*");
        synchronized (ctx.lock) {
            ctx.records.put(request.accountId(), ctx.records.settings(request.accountId()).withEncryptionByDefault(enabled));
        }
        return List.of(Ec2XmlNode.bool("ebsEncryptionByDefault", enabled));
    }

    List<Ec2XmlNode> get(Ec2Request request) {
        request.authorize("*");
        boolean enabled = ctx.records.settings(request.accountId()).encryptionByDefault();
        return List.of(Ec2XmlNode.bool("ebsEncryptionByDefault", enabled),
                Ec2XmlNode.text("sseType", enabled ? "sse-ebs" : "none"));
    }

    List<Ec2XmlNode> getDefaultKey(Ec2Request request) {
        request.authorize("*");
        return List.of(Ec2XmlNode.text("kmsKeyId", defaultKey(request.accountId())));
    }

    List<Ec2XmlNode> modifyDefaultKey(Ec2Request request) {
        String keyId = request.parameters().required("KmsKeyId");
        request.authorize("*");
        String keyArn = ctx.keys.resolve(request.requester(), keyId, Ec2AccountSettings.initial());
        synchronized (ctx.lock) {
            ctx.records.put(request.accountId(), ctx.records.settings(request.accountId()).withDefaultKey(keyArn));
        }
        return List.of(Ec2XmlNode.text("kmsKeyId", keyArn));
    }

    List<Ec2XmlNode> resetDefaultKey(Ec2Request request) {
        request.authorize("*");
        synchronized (ctx.lock) {
            ctx.records.put(request.accountId(), ctx.records.settings(request.accountId()).withDefaultKey(null));
        }
        return List.of(Ec2XmlNode.text("kmsKeyId", defaultKey(request.accountId())));
    }

    private String defaultKey(String accountId) {
        String set = ctx.records.settings(accountId).defaultKmsKeyArn();
        return set != null ? set : ctx.keys.managedKeyAliasArn(accountId);
    }
}

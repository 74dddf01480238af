package dev.coffer.kms.core;

import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a KeyId parameter (key id, key ARN, alias name, alias ARN) into a key, with AWS's errors:
 * NotFoundException for unknown keys and aliases, InvalidArnException for ARNs of another region or
 * account. {@code alias/aws/<service>} names of AWS managed keys, and the aliases of Coffer's own
 * service keys ({@link CofferServiceKeys}), are created on first use through
 * {@code awsManagedKeyCreator}, as AWS does for its managed keys.
 */
public final class KeyResolver {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final KmsKeyStore store;
    private final String region;
    private final String account;
    private final Function<String, KmsKey> awsManagedKeyCreator;

    public KeyResolver(KmsKeyStore store, String region, String account, Function<String, KmsKey> awsManagedKeyCreator) {
        this.store = store;
        this.region = region;
        this.account = account;
        this.awsManagedKeyCreator = awsManagedKeyCreator;
    }

    /** Resolves any form of key identifier. */
    public KmsKey resolve(String keyIdentifier) {
        String id = keyIdentifier;
        if (id.startsWith("arn:")) {
            id = stripArn(id);
        }
        if (id.startsWith("alias/")) {
            return resolveAlias(id);
        }
        if (id.startsWith("key/")) {
            id = id.substring(4);
        }
        String keyId = id;
        return store.key(keyId).orElseThrow(() -> notFound(keyIdentifier));
    }

    /** Resolves a key id or key ARN only (aliases are not accepted by management operations). */
    public KmsKey resolveKeyIdOrArn(String keyIdentifier) {
        if (keyIdentifier.startsWith("alias/") || keyIdentifier.contains(":alias/")) {
            throw new KmsException(KmsError.NOT_FOUND, "Invalid keyId '" + keyIdentifier + "'");
        }
        return resolve(keyIdentifier);
    }

    public static boolean isKeyId(String s) {
        return KEY_ID.matcher(s).matches();
    }

    private KmsKey resolveAlias(String aliasName) {
        Optional<KmsAlias> alias = store.alias(aliasName);
        if (alias.isPresent()) {
            return store.key(alias.get().targetKeyId()).orElseThrow(() -> notFound(aliasName));
        }
        if (AwsManagedKeys.isAwsManagedAlias(aliasName) || CofferServiceKeys.isServiceKeyAlias(aliasName)) {
            return awsManagedKeyCreator.apply(aliasName);
        }
        throw new KmsException(KmsError.NOT_FOUND, "Alias " + Arns.aliasArn(region, account, aliasName) + " is not found.");
    }

    private String stripArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("kms")) {
            throw new KmsException(KmsError.NOT_FOUND, "Invalid arn " + arn);
        }
        if (!parts[3].equals(region)) {
            throw new KmsException(KmsError.NOT_FOUND, "Invalid arn " + arn + ": region " + parts[3] + " is not " + region);
        }
        if (!parts[4].equals(account)) {
            throw new KmsException(KmsError.NOT_FOUND, "Key '" + arn + "' does not exist");
        }
        return parts[5];
    }

    private KmsException notFound(String keyIdentifier) {
        String shown = keyIdentifier.startsWith("arn:") ? keyIdentifier : Arns.keyArn(region, account, keyIdentifier);
        return new KmsException(KmsError.NOT_FOUND, "Key '" + shown + "' does not exist");
    }
}

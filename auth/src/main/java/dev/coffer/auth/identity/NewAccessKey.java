package dev.coffer.auth.identity;

import dev.coffer.crypto.SecretBytes;

/** A freshly created access key with its secret, returned once (CreateAccessKey) and then only stored sealed. */
public record NewAccessKey(AccessKey key, SecretBytes secretAccessKey) {
    @Override
    public String toString() {
        return "NewAccessKey[" + key.accessKeyId() + ", secret hidden]";
    }
}

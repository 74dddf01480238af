package dev.coffer.kms.core;

import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Grant tokens: an opaque, URL-safe name of one grant ({@code key id / grant id}). Coffer's grants
 * take effect at once, so a token only has to name a grant that still exists; an unknown, revoked or
 * malformed token is InvalidGrantTokenException wherever tokens are accepted, as AWS does.
 */
public final class GrantTokens {
    public static final int MAX_TOKENS_PER_REQUEST = 10;
    private static final String PREFIX = "coffer-grant-token-v1:";

    private GrantTokens() {}

    public static String issue(KmsGrant grant) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (PREFIX + grant.keyId() + "/" + grant.grantId()).getBytes(StandardCharsets.UTF_8));
    }

    /** The grant a token names, or InvalidGrantTokenException. */
    public static KmsGrant resolve(String token, KmsKeyStore store) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!decoded.startsWith(PREFIX)) {
            throw invalid();
        }
        String[] parts = decoded.substring(PREFIX.length()).split("/", 2);
        if (parts.length != 2) {
            throw invalid();
        }
        return store.grant(parts[0], parts[1]).orElseThrow(GrantTokens::invalid);
    }

    /** Checks every token of a request. */
    public static void validate(List<String> tokens, KmsKeyStore store) {
        if (tokens.size() > MAX_TOKENS_PER_REQUEST) {
            throw new KmsException(KmsError.VALIDATION, "1 validation error detected: Value at 'grantTokens' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + MAX_TOKENS_PER_REQUEST);
        }
        tokens.forEach(t -> resolve(t, store));
    }

    private static KmsException invalid() {
        return new KmsException(KmsError.INVALID_GRANT_TOKEN, "Invalid grant token.");
    }
}

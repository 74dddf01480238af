package dev.coffer.s3.auth;

import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.policy.CallerPrincipal;
import dev.coffer.auth.identity.CallerPrincipals;
import dev.coffer.auth.sigv4.SigV4Verified;
import java.util.Optional;

/**
 * Who sent a request: a verified signer, or anonymous.
 *
 * @param verified the verified signature, or null for an anonymous request
 */
public record S3Caller(SigV4Verified<Principal> verified) {
    public static S3Caller anonymous() {
        return new S3Caller(null);
    }

    public boolean isAnonymous() {
        return verified == null;
    }

    public Optional<Principal> principal() {
        return Optional.ofNullable(verified).map(SigV4Verified::principal);
    }

    /** The account the caller belongs to, or empty for anonymous. */
    public Optional<String> accountId() {
        return principal().map(p -> p.account().value());
    }

    public CallerPrincipal policyPrincipal() {
        return verified == null ? CallerPrincipal.anonymous() : CallerPrincipals.of(verified.principal());
    }

    /** The canonical user id AWS shows as Owner/ID: here the account id (empty for anonymous). */
    public String canonicalId() {
        return accountId().orElse("");
    }
}

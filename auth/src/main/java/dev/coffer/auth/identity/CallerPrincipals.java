package dev.coffer.auth.identity;

import dev.coffer.auth.policy.CallerPrincipal;

/** How an authenticated {@link Principal} appears to the policy evaluator: the one mapping every service uses. */
public final class CallerPrincipals {
    private CallerPrincipals() {}

    public static CallerPrincipal of(Principal principal) {
        return switch (principal) {
            case Principal.Root r -> CallerPrincipal.accountRoot(r.account().value());
            case Principal.User u -> CallerPrincipal.iamIdentity(u.arn(), u.account().value(), u.userName(), u.principalId());
            case Principal.Service s -> CallerPrincipal.service(s.servicePrincipalName());
        };
    }
}

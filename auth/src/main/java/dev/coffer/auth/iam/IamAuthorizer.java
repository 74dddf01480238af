package dev.coffer.auth.iam;

import dev.coffer.auth.identity.CallerPrincipals;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.policy.CallerPrincipal;
import dev.coffer.auth.policy.Decision;
import dev.coffer.auth.policy.ParsedPolicies;
import dev.coffer.auth.policy.PolicyDocument;
import dev.coffer.auth.policy.PolicyEvaluator;
import dev.coffer.auth.policy.PolicyKind;
import dev.coffer.auth.policy.RequestContext;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Checks every IAM action against the caller's identity policies: {@code iam:<Action>} on the user's
 * ARN (or {@code *}). IAM has no resource policies, so the identity policies alone decide; the
 * account root is allowed unless a policy denies it, which none can, as root has no policies.
 * The condition keys filled from the call are the principal's (aws:PrincipalArn, aws:username, ...,
 * derived by the request context), aws:SecureTransport, aws:SourceIp, aws:CurrentTime and
 * aws:EpochTime.
 */
final class IamAuthorizer {
    private final IdentityStore identities;
    private final ParsedPolicies parsedPolicies = new ParsedPolicies(PolicyKind.IDENTITY);

    IamAuthorizer(IdentityStore identities) {
        this.identities = Objects.requireNonNull(identities, "identities");
    }

    /** Allows {@code action} on {@code resource}, or throws AccessDenied. */
    void authorize(IamCall call, String action, String resource) {
        Principal p = call.principal();
        CallerPrincipal caller = CallerPrincipals.of(p);
        RequestContext context = RequestContext.builder(caller, action, resource)
                .conditionKey("aws:SecureTransport", String.valueOf(call.secureTransport()))
                .conditionKey("aws:SourceIp", call.sourceIp())
                .conditionKey("aws:CurrentTime", DateTimeFormatter.ISO_INSTANT.format(call.time().truncatedTo(ChronoUnit.SECONDS)))
                .conditionKey("aws:EpochTime", String.valueOf(call.time().getEpochSecond()))
                .build();
        Decision decision = PolicyEvaluator.evaluateIdentityPolicies(policiesOf(p), context);
        if (!decision.isAllowed()) {
            throw new IamException(IamError.ACCESS_DENIED, "User: " + p.arn() + " is not authorized to perform: " + action
                    + " on resource: " + resource + (decision == Decision.EXPLICIT_DENY
                            ? " with an explicit deny in an identity-based policy"
                            : " because no identity-based policy allows the " + action + " action"));
        }
    }

    private List<PolicyDocument> policiesOf(Principal principal) {
        return parsedPolicies.parseAll(identities.identityPolicies(principal));
    }
}

package dev.coffer.blockstore.ec2;

import dev.coffer.auth.identity.CallerPrincipals;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.policy.Decision;
import dev.coffer.auth.policy.ParsedPolicies;
import dev.coffer.auth.policy.PolicyEvaluator;
import dev.coffer.auth.policy.PolicyKind;
import dev.coffer.auth.policy.RequestContext;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Checks every EC2 action against the caller's identity policies: {@code ec2:<Action>} on each
 * resource it touches ({@code arn:aws:ec2:<region>:<account>:volume/<id>}, {@code snapshot/<id>},
 * or {@code *}); every one must be allowed. EC2 volumes have no resource policies, so identity
 * policies alone decide, exactly as {@code IamService} decides; the root has no policies and is
 * allowed everything. A denial is UnauthorizedOperation, which is also what DryRun reports.
 */
final class Ec2Authorizer {
    private final IdentityStore identities;
    private final String region;
    private final ParsedPolicies parsedPolicies = new ParsedPolicies(PolicyKind.IDENTITY);

    Ec2Authorizer(IdentityStore identities, String region) {
        this.identities = Objects.requireNonNull(identities, "identities");
        this.region = region;
    }

    String volumeArn(Ec2Call call, String volumeId) {
        return "arn:aws:ec2:" + region + ":" + call.accountId() + ":volume/" + volumeId;
    }

    String snapshotArn(Ec2Call call, String snapshotId) {
        return "arn:aws:ec2:" + region + ":" + call.accountId() + ":snapshot/" + snapshotId;
    }

    String instanceArn(Ec2Call call, String instanceId) {
        return "arn:aws:ec2:" + region + ":" + call.accountId() + ":instance/" + instanceId;
    }

    void authorize(Ec2Call call, Ec2Operation operation, List<String> resources) {
        Principal p = call.principal();
        if (p.isRoot()) {
            return;
        }
        List<dev.coffer.auth.policy.PolicyDocument> policies = parsedPolicies.parseAll(identities.identityPolicies(p));
        for (String resource : resources) {
            RequestContext context = RequestContext.builder(CallerPrincipals.of(p), operation.action(), resource)
                    .conditionKey("aws:SecureTransport", String.valueOf(call.secureTransport()))
                    .conditionKey("aws:SourceIp", call.sourceIp())
                    .conditionKey("aws:CurrentTime", DateTimeFormatter.ISO_INSTANT.format(call.time().truncatedTo(ChronoUnit.SECONDS)))
                    .conditionKey("aws:EpochTime", String.valueOf(call.time().getEpochSecond()))
                    .conditionKey("aws:RequestedRegion", region)
                    .build();
            Decision decision = PolicyEvaluator.evaluateIdentityPolicies(policies, context);
            if (!decision.isAllowed()) {
                throw new Ec2Exception(Ec2Error.UNAUTHORIZED_OPERATION, "You are not authorized to perform this operation. User: "
                        + p.arn() + " is not authorized to perform: " + operation.action() + " on resource: " + resource
                        + (decision == Decision.EXPLICIT_DENY ? " with an explicit deny in an identity-based policy"
                                : " because no identity-based policy allows the " + operation.action() + " action"));
            }
        }
    }
}

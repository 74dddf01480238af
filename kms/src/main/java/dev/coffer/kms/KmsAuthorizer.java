package dev.coffer.kms;

import dev.coffer.auth.identity.CallerPrincipals;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.policy.CallerPrincipal;
import dev.coffer.auth.policy.Decision;
import dev.coffer.auth.policy.MalformedPolicyException;
import dev.coffer.auth.policy.ParsedPolicies;
import dev.coffer.auth.policy.PolicyDocument;
import dev.coffer.auth.policy.PolicyEvaluator;
import dev.coffer.auth.policy.PolicyKind;
import dev.coffer.auth.policy.RequestContext;
import dev.coffer.auth.policy.ResourcePolicyResult;
import dev.coffer.kms.core.GrantTokens;
import dev.coffer.kms.core.KmsGrant;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.core.KmsKeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every key use is checked here, AWS's way: the key policy first (whose account-root statement is
 * what lets IAM policies apply), then the caller's IAM policies, then grants; an explicit deny
 * anywhere wins. The conditions KMS policies use are filled from the call: kms:CallerAccount,
 * kms:ViaService, kms:EncryptionContext:*, kms:EncryptionContextKeys, aws:SecureTransport,
 * aws:PrincipalArn, aws:SourceIp, plus operation-specific keys from the handler.
 */
public final class KmsAuthorizer {

    private final Function<Principal, List<String>> identityPolicies;
    private final KmsKeyStore store;
    private final ParsedPolicies parsedResourcePolicies = new ParsedPolicies(PolicyKind.RESOURCE);
    private final ParsedPolicies parsedIdentityPolicies = new ParsedPolicies(PolicyKind.IDENTITY);

    /**
     * @param identityPolicies the inline IAM policy documents of a principal (from the identity store)
     */
    public KmsAuthorizer(Function<Principal, List<String>> identityPolicies, KmsKeyStore store) {
        this.identityPolicies = identityPolicies;
        this.store = store;
    }

    /** Authorizes {@code action} (e.g. {@code kms:Decrypt}) on a key, or throws AccessDeniedException. */
    public void authorize(KmsCall call, String action, KmsKey key, Map<String, String> encryptionContext, List<String> grantTokens) {
        authorize(call, action, key, encryptionContext, grantTokens, Map.of());
    }

    public void authorize(KmsCall call, String action, KmsKey key, Map<String, String> encryptionContext,
                          List<String> grantTokens, Map<String, List<String>> extraConditions) {
        GrantTokens.validate(grantTokens, store);
        RequestContext context = context(call, action, key.arn(), encryptionContext, extraConditions);
        ResourcePolicyResult keyPolicy = PolicyEvaluator.evaluateResourcePolicy(resourcePolicy(key.policy()), context);
        Decision identity = PolicyEvaluator.evaluateIdentityPolicies(identityPoliciesOf(call.principal()), context);
        boolean grantAllows = grantAllows(call, action, key, encryptionContext);
        boolean sameAccount = call.principal().account().value().equals(key.accountId());
        Decision decision = PolicyEvaluator.decideKms(keyPolicy, identity, grantAllows, sameAccount);
        if (!decision.isAllowed()) {
            throw denied(call, action, key.arn(), decision == Decision.EXPLICIT_DENY
                    ? (keyPolicy.explicitDeny() ? "with an explicit deny in a resource-based policy"
                            : "with an explicit deny in an identity-based policy")
                    : keyPolicy.allowsAccountDelegation() || keyPolicy.allowsPrincipalDirectly()
                            ? "because no identity-based policy allows the " + action + " action"
                            : "because no resource-based policy allows the " + action + " action");
        }
    }

    /** Operations on no particular key (CreateKey, ListKeys, ListAliases, GenerateRandom): IAM policies alone, resource "*". */
    public void authorizeWithoutKey(KmsCall call, KmsOperation op, Map<String, List<String>> extraConditions) {
        RequestContext context = context(call, op.action(), "*", Map.of(), extraConditions);
        Decision identity = PolicyEvaluator.evaluateIdentityPolicies(identityPoliciesOf(call.principal()), context);
        if (!identity.isAllowed()) {
            throw denied(call, op.action(), "*", identity == Decision.EXPLICIT_DENY
                    ? "with an explicit deny in an identity-based policy"
                    : "because no identity-based policy allows the " + op.action() + " action");
        }
    }

    /**
     * Checks a key policy before it is stored: it must parse, and unless the caller bypasses the
     * lockout safety check, it must still let the caller change the policy later.
     */
    public void validateKeyPolicy(String policy, KmsCall call, boolean bypassLockoutSafetyCheck) {
        PolicyDocument document;
        try {
            document = PolicyDocument.parse(policy, PolicyKind.RESOURCE);
        } catch (MalformedPolicyException e) {
            throw new KmsException(KmsError.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        if (bypassLockoutSafetyCheck) {
            return;
        }
        RequestContext context = context(call, KmsOperation.PutKeyPolicy.action(), "*", Map.of(), Map.of());
        ResourcePolicyResult result = PolicyEvaluator.evaluateResourcePolicy(document, context);
        Decision identity = PolicyEvaluator.evaluateIdentityPolicies(identityPoliciesOf(call.principal()), context);
        if (!PolicyEvaluator.decideKms(result, identity, false, true).isAllowed()) {
            throw new KmsException(KmsError.MALFORMED_POLICY_DOCUMENT,
                    "The new key policy will not allow you to update the key policy in the future.");
        }
    }

    private boolean grantAllows(KmsCall call, String action, KmsKey key, Map<String, String> encryptionContext) {
        String operation = action.substring("kms:".length());
        String caller = call.principal().arn();
        for (KmsGrant grant : store.grants(key.keyId())) {
            if (grant.granteePrincipal().equals(caller) && grant.allows(operation, encryptionContext)) {
                return true;
            }
        }
        return false;
    }

    private RequestContext context(KmsCall call, String action, String resource, Map<String, String> encryptionContext,
                                   Map<String, List<String>> extraConditions) {
        Principal p = call.principal();
        CallerPrincipal caller = CallerPrincipals.of(p);
        RequestContext.Builder b = RequestContext.builder(caller, action, resource)
                .conditionKey("kms:CallerAccount", p.account().value())
                .conditionKey("aws:PrincipalArn", p.arn())
                .conditionKey("aws:PrincipalAccount", p.account().value())
                .conditionKey("aws:SecureTransport", String.valueOf(call.secureTransport()))
                .conditionKey("aws:SourceIp", call.sourceIp());
        if (call.viaService() != null) {
            b.conditionKey("kms:ViaService", call.viaService());
        }
        if (!encryptionContext.isEmpty()) {
            b.conditionKey("kms:EncryptionContextKeys", new ArrayList<>(encryptionContext.keySet()));
            encryptionContext.forEach((k, v) -> b.conditionKey("kms:EncryptionContext:" + k, v));
        }
        extraConditions.forEach(b::conditionKey);
        return b.build();
    }

    private PolicyDocument resourcePolicy(String json) {
        try {
            return parsedResourcePolicies.parse(json);
        } catch (ParsedPolicies.StoredPolicyUnreadableException e) {
            throw new KmsException(KmsError.INTERNAL, "A stored policy no longer parses.");
        }
    }

    private List<PolicyDocument> identityPoliciesOf(Principal principal) {
        try {
            return parsedIdentityPolicies.parseAll(identityPolicies.apply(principal));
        } catch (ParsedPolicies.StoredPolicyUnreadableException e) {
            throw new KmsException(KmsError.INTERNAL, "A stored policy no longer parses.");
        }
    }

    private static KmsException denied(KmsCall call, String action, String resource, String reason) {
        return new KmsException(KmsError.ACCESS_DENIED, "User: " + call.principal().arn() + " is not authorized to perform: "
                + action + " on resource: " + resource + " " + reason);
    }
}

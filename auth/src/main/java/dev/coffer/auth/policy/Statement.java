package dev.coffer.auth.policy;

import java.util.List;
import java.util.Optional;

/**
 * One statement of a policy. A statement applies to a request when its action, resource and every
 * condition match (and, in a resource policy, its principal names the caller). A statement whose
 * Resource or condition needs a policy variable the request cannot resolve does not apply at all,
 * whatever its effect: AWS says such a variable "causes the entire statement to be invalid".
 */
public final class Statement {
    private final String sid;
    private final Effect effect;
    private final PrincipalMatcher principal;
    private final ActionMatcher action;
    private final ResourceMatcher resource;
    private final List<Condition> conditions;

    Statement(String sid, Effect effect, PrincipalMatcher principal, ActionMatcher action, ResourceMatcher resource,
            List<Condition> conditions) {
        this.sid = sid;
        this.effect = effect;
        this.principal = principal;
        this.action = action;
        this.resource = resource;
        this.conditions = List.copyOf(conditions);
    }

    public Optional<String> sid() {
        return Optional.ofNullable(sid);
    }

    public Effect effect() {
        return effect;
    }

    /** The conditions, which must all hold for the statement to apply. */
    public List<Condition> conditions() {
        return conditions;
    }

    /** How the Principal or NotPrincipal relates to the caller; only resource policies have one. */
    PrincipalMatcher.Match principalMatch(CallerPrincipal caller) {
        return principal == null ? PrincipalMatcher.Match.NONE : principal.match(caller);
    }

    /** Whether action, resource and conditions match; the principal is checked separately. */
    boolean appliesTo(RequestContext context) {
        try {
            return action.matches(context.action())
                    && resource.matches(context)
                    && conditions.stream().allMatch(c -> c.evaluate(context));
        } catch (PolicyTemplate.UnresolvedVariableException invalidStatement) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "Statement[" + (sid == null ? "" : sid + " ") + effect.awsName() + "]";
    }
}

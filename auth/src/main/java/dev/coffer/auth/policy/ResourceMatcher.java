package dev.coffer.auth.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement's Resource or NotResource: {@code *} or ARN patterns, matched case-sensitively part by
 * part ({@link Wildcard#matchesArn}), with policy variables resolved from the request first.
 */
final class ResourceMatcher {
    private final boolean negated;
    private final List<PolicyTemplate> patterns;

    ResourceMatcher(boolean negated, List<PolicyTemplate> patterns) {
        this.negated = negated;
        this.patterns = List.copyOf(patterns);
    }

    /**
     * @throws PolicyTemplate.UnresolvedVariableException if a pattern needs a variable the context
     *     lacks; all patterns are resolved before any is matched so the outcome does not depend on
     *     their order
     */
    boolean matches(RequestContext context) {
        List<int[]> resolved = new ArrayList<>(patterns.size());
        for (PolicyTemplate pattern : patterns) {
            resolved.add(pattern.resolve(context).pattern());
        }
        String resource = context.resource();
        boolean listed = resolved.stream().anyMatch(p -> Wildcard.matchesArn(p, resource));
        return negated != listed;
    }
}

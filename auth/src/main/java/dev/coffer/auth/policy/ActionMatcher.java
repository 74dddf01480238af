package dev.coffer.auth.policy;

import java.util.List;
import java.util.Locale;

/**
 * A statement's Action or NotAction: {@code service:action} patterns with {@code *} and {@code ?},
 * matched ignoring case as AWS does ("kms:decrypt" equals "kms:Decrypt").
 */
final class ActionMatcher {
    private final boolean negated;
    private final List<int[]> patterns;

    ActionMatcher(boolean negated, List<String> actions) {
        this.negated = negated;
        this.patterns = actions.stream().map(a -> Wildcard.compile(a.toLowerCase(Locale.ROOT))).toList();
    }

    boolean matches(String action) {
        int[] requested = action.toLowerCase(Locale.ROOT).codePoints().toArray();
        boolean listed = patterns.stream().anyMatch(p -> Wildcard.matches(p, requested));
        return negated != listed;
    }
}

package dev.coffer.auth.policy;

import java.util.List;

/**
 * A resource policy statement's Principal or NotPrincipal, and how it relates to the caller.
 *
 * <p>Following
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html">AWS
 * JSON policy elements: Principal</a>: {@code "*"} and {@code {"AWS": "*"}} name everyone, including
 * anonymous callers and service principals; an account (its 12-digit id or its {@code :root} ARN)
 * names the account's root directly and every other identity of the account only through that
 * account's IAM policies; other ARNs are compared exactly (no wildcards, no role-to-session
 * expansion); {@code {"Service": ...}} names a service principal. A Deny that names an account applies
 * to every identity of the account.
 *
 * <p>NotPrincipal
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html">docs</a>)
 * applies to everyone it does not exclude. AWS warns that it "might" deny a user whose account is not
 * excluded too; this takes the fail-closed reading: a user or role is excluded only if both its ARN
 * and its account are listed, the root if its account is listed, a service if its name is listed,
 * an anonymous caller only by {@code *}.
 */
final class PrincipalMatcher {

    /** How a statement's principal element relates to a caller. */
    enum Match {
        /** The statement is not about this caller. */
        NONE,
        /** The statement names the caller's account and the caller is a non-root identity of it. */
        ACCOUNT,
        /** The statement names the caller itself (or everyone). */
        DIRECT
    }

    sealed interface Entry permits Everyone, Account, Arn, Service {
    }

    record Everyone() implements Entry {
    }

    record Account(String accountId) implements Entry {
    }

    record Arn(String arn) implements Entry {
    }

    record Service(String name) implements Entry {
    }

    private final boolean negated;
    private final List<Entry> entries;

    PrincipalMatcher(boolean negated, List<Entry> entries) {
        this.negated = negated;
        this.entries = List.copyOf(entries);
    }

    Match match(CallerPrincipal caller) {
        if (negated) {
            return excludes(caller) ? Match.NONE : Match.DIRECT;
        }
        Match best = Match.NONE;
        for (Entry entry : entries) {
            Match m = switch (entry) {
                case Everyone e -> Match.DIRECT;
                case Account a -> !a.accountId().equals(caller.accountIdOrNull()) ? Match.NONE
                        : caller.isAccountRoot() ? Match.DIRECT : Match.ACCOUNT;
                case Arn a -> a.arn().equals(caller.arnOrNull()) ? Match.DIRECT : Match.NONE;
                case Service s -> s.name().equalsIgnoreCase(caller.servicePrincipalNameOrNull()) ? Match.DIRECT : Match.NONE;
            };
            if (m.compareTo(best) > 0) {
                best = m;
            }
        }
        return best;
    }

    private boolean excludes(CallerPrincipal caller) {
        if (entries.contains(new Everyone())) {
            return true;
        }
        if (caller.isAnonymous()) {
            return false;
        }
        if (caller.servicePrincipalNameOrNull() != null) {
            return entries.stream().anyMatch(e -> e instanceof Service s
                    && s.name().equalsIgnoreCase(caller.servicePrincipalNameOrNull()));
        }
        boolean accountListed = entries.contains(new Account(caller.accountIdOrNull()));
        return caller.isAccountRoot() ? accountListed : accountListed && entries.contains(new Arn(caller.arnOrNull()));
    }
}

package dev.coffer.auth.policy;

/**
 * The outcome of evaluating policies: an applicable Deny statement, an applicable Allow statement
 * and no Deny, or neither (the default, which is also a denial).
 */
public enum Decision {
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY;

    public boolean isAllowed() {
        return this == ALLOW;
    }
}

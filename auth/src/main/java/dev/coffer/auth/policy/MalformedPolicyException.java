package dev.coffer.auth.policy;

/**
 * A policy document that does not parse or breaks the policy grammar. The message names the problem
 * the way AWS's MalformedPolicyDocument errors do (for example "Statement 2: Effect must be Allow or
 * Deny"), so protocol handlers can return it to the client unchanged. Policies are not secret, so the
 * message may quote the offending element.
 */
public final class MalformedPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPolicyException(String message) {
        super(message);
    }
}

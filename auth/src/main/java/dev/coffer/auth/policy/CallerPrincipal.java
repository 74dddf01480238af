package dev.coffer.auth.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is making the request, as the policy language sees it: an account root, another IAM identity
 * (a user, or a role session) of an account, an AWS service principal, or an anonymous caller.
 *
 * <p>Kept apart from {@code dev.coffer.auth.identity.Principal} so the evaluator depends on nothing
 * but the policy language; mapping one to the other is one line at the caller.
 */
public final class CallerPrincipal {
    private static final Pattern ROOT_ARN = Pattern.compile("arn:[^:]+:iam::([^:]+):root");
    private static final CallerPrincipal ANONYMOUS = new CallerPrincipal(null, null, false, null, null, null);

    private final String arn;
    private final String accountId;
    private final boolean accountRoot;
    private final String servicePrincipalName;
    private final String userName;
    private final String userId;

    private CallerPrincipal(String arn, String accountId, boolean accountRoot, String servicePrincipalName,
            String userName, String userId) {
        this.arn = arn;
        this.accountId = accountId;
        this.accountRoot = accountRoot;
        this.servicePrincipalName = servicePrincipalName;
        this.userName = userName;
        this.userId = userId;
    }

    /** The root of {@code accountId}: ARN {@code arn:aws:iam::<account>:root}, aws:userid the account id. */
    public static CallerPrincipal accountRoot(String accountId) {
        requireText(accountId, "accountId");
        return new CallerPrincipal("arn:aws:iam::" + accountId + ":root", accountId, true, null, null, accountId);
    }

    /**
     * An IAM identity other than the root.
     *
     * @param arn e.g. {@code arn:aws:iam::111122223333:user/alice}; not a {@code :root} ARN
     * @param accountId the identity's account
     * @param userName the friendly name ({@code aws:username}), or null for identities without one
     * @param userId the unique id ({@code aws:userid}), or null if unknown
     */
    public static CallerPrincipal iamIdentity(String arn, String accountId, String userName, String userId) {
        requireText(arn, "arn");
        requireText(accountId, "accountId");
        if (ROOT_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("use accountRoot(...) for an account root");
        }
        return new CallerPrincipal(arn, accountId, false, null, userName, userId);
    }

    /** An AWS service acting as itself, e.g. {@code s3.amazonaws.com}; it has no account. */
    public static CallerPrincipal service(String servicePrincipalName) {
        requireText(servicePrincipalName, "servicePrincipalName");
        return new CallerPrincipal(null, null, false, servicePrincipalName, null, null);
    }

    /** An unauthenticated caller (anonymous S3 access); only {@code "*"} principals name it. */
    public static CallerPrincipal anonymous() {
        return ANONYMOUS;
    }

    public Optional<String> arn() {
        return Optional.ofNullable(arn);
    }

    public Optional<String> accountId() {
        return Optional.ofNullable(accountId);
    }

    public boolean isAccountRoot() {
        return accountRoot;
    }

    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }

    public Optional<String> servicePrincipalName() {
        return Optional.ofNullable(servicePrincipalName);
    }

    public Optional<String> userName() {
        return Optional.ofNullable(userName);
    }

    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    String arnOrNull() {
        return arn;
    }

    String accountIdOrNull() {
        return accountId;
    }

    String servicePrincipalNameOrNull() {
        return servicePrincipalName;
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        if (isAnonymous()) {
            return "anonymous";
        }
        return servicePrincipalName != null ? "service " + servicePrincipalName : arn;
    }
}

package dev.coffer.auth.identity;

/**
 * Who made a request: the account root or an IAM user of the account. The names follow
 * CloudTrail's userIdentity (type, principalId, arn, accountId, userName).
 */
public sealed interface Principal permits Principal.Root, Principal.User {
    AccountId account();

    /** The principal's ARN, e.g. {@code arn:aws:iam::111122223333:user/alice}. */
    String arn();

    /** CloudTrail's principalId: the account id for root, the user id (AIDA...) for a user. */
    String principalId();

    /** CloudTrail's userIdentity.type: {@code Root} or {@code IAMUser}. */
    String type();

    /** The user name, or null for root. */
    String userName();

    default boolean isRoot() {
        return this instanceof Root;
    }

    /** The account root. */
    record Root(AccountId account) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account.value() + ":root";
        }

        @Override
        public String principalId() {
            return account.value();
        }

        @Override
        public String type() {
            return "Root";
        }

        @Override
        public String userName() {
            return null;
        }
    }

    /** An IAM user; {@code path} starts and ends with '/' ("/" by default). */
    record User(AccountId account, String userName, String userId, String path) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account.value() + ":user" + path + userName;
        }

        @Override
        public String principalId() {
            return userId;
        }

        @Override
        public String type() {
            return "IAMUser";
        }
    }
}

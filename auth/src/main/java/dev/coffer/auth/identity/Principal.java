package dev.coffer.auth.identity;

/**
 * Who made a request: the account root or an IAM user of the account. The names follow
 * CloudTrail's userIdentity (type, principalId, arn, accountId, userName).
 */
public sealed interface Principal permits Principal.Root, Principal.User, Principal.Service {
    AccountId account();

    /** The principal's ARN, e.g. {@code arn:aws:iam::111122223333:user/alice}. */
    String arn();

    /** CloudTrail's principalId: the account id for root, the user id (AIDA...) for a user. */
    String principalId();

    /** CloudTrail's userIdentity.type: {@code Root}, {@code IAMUser} or {@code AWSService}. */
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

    /**
     * One of Coffer's own services (the S3 front end, the volume service) calling another (the KMS),
     * either for itself or on behalf of the requester it is serving. Its credentials exist only in
     * memory, issued at start-up by {@link IdentityStore#issueServiceCredential}; it is the only kind of
     * caller allowed to name another principal.
     *
     * @param serviceName the short service name, e.g. {@code s3} or {@code ec2}
     */
    record Service(AccountId account, String serviceName) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account.value() + ":role/coffer-service/" + serviceName;
        }

        @Override
        public String principalId() {
            return servicePrincipalName();
        }

        @Override
        public String type() {
            return "AWSService";
        }

        @Override
        public String userName() {
            return null;
        }

        /** The AWS-style service principal, e.g. {@code s3.amazonaws.com}. */
        public String servicePrincipalName() {
            return serviceName + ".amazonaws.com";
        }
    }
}

package dev.coffer.auth.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The request as policies see it
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-reqcontext">the
 * request context</a>): the caller, the action ({@code kms:Decrypt}), the resource ARN and the
 * condition keys with their values.
 *
 * <p>Key names are case-insensitive. A key is multivalued when it has several values (e.g.
 * {@code kms:EncryptionContextKeys}); a key with no values counts as absent. Binary keys carry their
 * bytes base64-encoded. Unless set explicitly, the global keys {@code aws:PrincipalArn},
 * {@code aws:PrincipalAccount}, {@code aws:username} and {@code aws:userid} are derived from the
 * caller where it has them; every other key (such as {@code aws:SecureTransport},
 * {@code aws:SourceIp}, {@code kms:ViaService}, {@code kms:CallerAccount}) is the protocol handler's
 * to supply.
 */
public final class RequestContext {
    private final CallerPrincipal principal;
    private final String action;
    private final String resource;
    private final Map<String, List<String>> conditionKeys;

    private RequestContext(Builder builder) {
        this.principal = builder.principal;
        this.action = builder.action;
        this.resource = builder.resource;
        Map<String, List<String>> keys = new HashMap<>(builder.conditionKeys);
        principal.arn().ifPresent(v -> keys.putIfAbsent("aws:principalarn", List.of(v)));
        principal.accountId().ifPresent(v -> keys.putIfAbsent("aws:principalaccount", List.of(v)));
        principal.userName().ifPresent(v -> keys.putIfAbsent("aws:username", List.of(v)));
        principal.userId().ifPresent(v -> keys.putIfAbsent("aws:userid", List.of(v)));
        this.conditionKeys = Map.copyOf(keys);
    }

    /**
     * Starts a context.
     *
     * @param action the action, e.g. {@code kms:Decrypt} or {@code s3:PutObject}
     * @param resource the resource ARN, e.g. {@code arn:aws:s3:::bucket/key}
     */
    public static Builder builder(CallerPrincipal principal, String action, String resource) {
        return new Builder(principal, action, resource);
    }

    public CallerPrincipal principal() {
        return principal;
    }

    public String action() {
        return action;
    }

    public String resource() {
        return resource;
    }

    /** The values of a condition key (name compared ignoring case); empty if the key is absent. */
    public List<String> conditionValues(String key) {
        return conditionKeys.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
    }

    /** The value a policy variable takes: a single-valued key's value (AWS allows no multivalued ones). */
    Optional<String> variable(String key) {
        List<String> values = conditionValues(key);
        return values.size() == 1 ? Optional.of(values.getFirst()) : Optional.empty();
    }

    /** Names the request without condition values (encryption context values are not for logs). */
    @Override
    public String toString() {
        return "RequestContext[" + principal + " " + action + " " + resource + " keys=" + conditionKeys.keySet() + "]";
    }

    /** Collects condition keys; a key set twice (in any case) keeps the last values. */
    public static final class Builder {
        private final CallerPrincipal principal;
        private final String action;
        private final String resource;
        private final Map<String, List<String>> conditionKeys = new HashMap<>();

        private Builder(CallerPrincipal principal, String action, String resource) {
            this.principal = Objects.requireNonNull(principal, "principal");
            this.action = Objects.requireNonNull(action, "action");
            this.resource = Objects.requireNonNull(resource, "resource");
        }

        public Builder conditionKey(String key, String... values) {
            return conditionKey(key, List.of(values));
        }

        public Builder conditionKey(String key, List<String> values) {
            Objects.requireNonNull(key, "key");
            conditionKeys.put(key.toLowerCase(Locale.ROOT), List.copyOf(values));
            return this;
        }

        public RequestContext build() {
            return new RequestContext(this);
        }
    }
}

package dev.coffer.auth.policy;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The condition operators of
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">IAM
 * JSON policy elements: Condition operators</a>, without the {@code IfExists} suffix and set prefix
 * (those are on {@link Condition}).
 *
 * <p>Each negated operator ({@link #isNegated()}) compares exactly like its positive twin; the
 * negation is applied by {@link Condition} over the whole set of values, which is what turns AWS's
 * "multiple values are ORed" into "a negated operator's values are NORed".
 *
 * <p>Operator names are matched ignoring case: AWS's grammar does not say whether they are
 * case-sensitive, and accepting {@code stringequals} cannot change what a policy means.
 */
public enum ConditionOperator {
    STRING_EQUALS("StringEquals", ValueType.TEXT, false),
    STRING_NOT_EQUALS("StringNotEquals", ValueType.TEXT, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", ValueType.TEXT, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", ValueType.TEXT, true),
    STRING_LIKE("StringLike", ValueType.TEXT, false),
    STRING_NOT_LIKE("StringNotLike", ValueType.TEXT, true),
    NUMERIC_EQUALS("NumericEquals", ValueType.NUMBER, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", ValueType.NUMBER, true),
    NUMERIC_LESS_THAN("NumericLessThan", ValueType.NUMBER, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", ValueType.NUMBER, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", ValueType.NUMBER, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", ValueType.NUMBER, false),
    DATE_EQUALS("DateEquals", ValueType.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", ValueType.DATE, true),
    DATE_LESS_THAN("DateLessThan", ValueType.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", ValueType.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", ValueType.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", ValueType.DATE, false),
    BOOL("Bool", ValueType.BOOL, false),
    BINARY_EQUALS("BinaryEquals", ValueType.BINARY, false),
    IP_ADDRESS("IpAddress", ValueType.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", ValueType.IP, true),
    /** ArnEquals and ArnLike "behave identically": both take wildcards, part by part. */
    ARN_EQUALS("ArnEquals", ValueType.TEXT, false),
    ARN_LIKE("ArnLike", ValueType.TEXT, false),
    ARN_NOT_EQUALS("ArnNotEquals", ValueType.TEXT, true),
    ARN_NOT_LIKE("ArnNotLike", ValueType.TEXT, true),
    /** Tests presence, not value; takes neither IfExists nor a set prefix. */
    NULL("Null", ValueType.NULL_CHECK, false);

    private enum ValueType { TEXT, NUMBER, DATE, BOOL, BINARY, IP, NULL_CHECK }

    /** The order of a request value that cannot be compared (not a number or not a date). */
    private static final int UNORDERED = Integer.MIN_VALUE;

    private static final Map<String, ConditionOperator> BY_LOWER_CASE_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(op -> op.awsName.toLowerCase(Locale.ROOT), Function.identity()));

    private final String awsName;
    private final ValueType valueType;
    private final boolean negated;

    ConditionOperator(String awsName, ValueType valueType, boolean negated) {
        this.awsName = awsName;
        this.valueType = valueType;
        this.negated = negated;
    }

    /** The operator name as AWS writes it, e.g. {@code StringEquals}. */
    public String awsName() {
        return awsName;
    }

    /** Whether this is a negated matching operator (StringNotEquals, NotIpAddress, ...). */
    public boolean isNegated() {
        return negated;
    }

    /** The operator with this name, ignoring case; empty if there is none. */
    public static Optional<ConditionOperator> fromAwsName(String name) {
        return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Parses one policy value; throws {@link IllegalArgumentException} naming what is wrong with it. */
    ConditionValue parseValue(String raw, boolean variablesEnabled) {
        return switch (valueType) {
            case TEXT -> new ConditionValue.Text(PolicyTemplate.parse(raw, variablesEnabled));
            case NUMBER -> new ConditionValue.Number(number(raw)
                    .orElseThrow(() -> new IllegalArgumentException("'" + raw + "' is not a number")));
            case DATE -> new ConditionValue.Date(PolicyDates.parse(raw));
            case BOOL -> new ConditionValue.Bool(bool(raw)
                    .orElseThrow(() -> new IllegalArgumentException("'" + raw + "' is not true or false")));
            case BINARY -> new ConditionValue.Binary(base64(raw)
                    .orElseThrow(() -> new IllegalArgumentException("'" + raw + "' is not base64")));
            case IP -> new ConditionValue.Ip(IpRange.parse(raw));
            case NULL_CHECK -> new ConditionValue.NullCheck(bool(raw)
                    .orElseThrow(() -> new IllegalArgumentException("'" + raw + "' is not true or false")));
        };
    }

    /**
     * Whether one request value matches one (resolved) policy value, before any negation. A request
     * value that is not of the operator's type (a non-number for NumericEquals) matches nothing.
     */
    boolean matches(ConditionValue policyValue, String requestValue) {
        return switch (this) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> template(policyValue).text().equals(requestValue);
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE ->
                    template(policyValue).text().equalsIgnoreCase(requestValue);
            case STRING_LIKE, STRING_NOT_LIKE -> Wildcard.matches(template(policyValue).pattern(), requestValue);
            case ARN_EQUALS, ARN_LIKE, ARN_NOT_EQUALS, ARN_NOT_LIKE ->
                    Wildcard.matchesArn(template(policyValue).pattern(), requestValue);
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS -> numericOrder(policyValue, requestValue) == 0;
            case NUMERIC_LESS_THAN -> inRange(numericOrder(policyValue, requestValue), -1, -1);
            case NUMERIC_LESS_THAN_EQUALS -> inRange(numericOrder(policyValue, requestValue), -1, 0);
            case NUMERIC_GREATER_THAN -> numericOrder(policyValue, requestValue) == 1;
            case NUMERIC_GREATER_THAN_EQUALS -> inRange(numericOrder(policyValue, requestValue), 0, 1);
            case DATE_EQUALS, DATE_NOT_EQUALS -> dateOrder(policyValue, requestValue) == 0;
            case DATE_LESS_THAN -> inRange(dateOrder(policyValue, requestValue), -1, -1);
            case DATE_LESS_THAN_EQUALS -> inRange(dateOrder(policyValue, requestValue), -1, 0);
            case DATE_GREATER_THAN -> dateOrder(policyValue, requestValue) == 1;
            case DATE_GREATER_THAN_EQUALS -> inRange(dateOrder(policyValue, requestValue), 0, 1);
            case BOOL -> bool(requestValue).map(b -> b == ((ConditionValue.Bool) policyValue).value()).orElse(false);
            case BINARY_EQUALS -> base64(requestValue)
                    .map(bytes -> Arrays.equals(bytes, ((ConditionValue.Binary) policyValue).value())).orElse(false);
            case IP_ADDRESS, NOT_IP_ADDRESS -> ((ConditionValue.Ip) policyValue).range().contains(requestValue);
            case NULL -> throw new IllegalStateException("Null tests presence and has no value to match");
        };
    }

    private static PolicyTemplate template(ConditionValue value) {
        return ((ConditionValue.Text) value).template();
    }

    /* Orders the request value against the policy value: -1, 0 or 1, or UNORDERED. */
    private static int numericOrder(ConditionValue policyValue, String requestValue) {
        return number(requestValue)
                .map(n -> Integer.signum(n.compareTo(((ConditionValue.Number) policyValue).value())))
                .orElse(UNORDERED);
    }

    private static int dateOrder(ConditionValue policyValue, String requestValue) {
        Instant requested;
        try {
            requested = PolicyDates.parse(requestValue);
        } catch (IllegalArgumentException | DateTimeException notADate) {
            return UNORDERED;
        }
        return Integer.signum(requested.compareTo(((ConditionValue.Date) policyValue).value()));
    }

    private static boolean inRange(int order, int low, int high) {
        return order != UNORDERED && order >= low && order <= high;
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Optional.of(Boolean.TRUE);
        }
        if (text.equalsIgnoreCase("false")) {
            return Optional.of(Boolean.FALSE);
        }
        return Optional.empty();
    }

    private static Optional<byte[]> base64(String text) {
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

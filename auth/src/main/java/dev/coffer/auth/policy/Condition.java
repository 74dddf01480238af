package dev.coffer.auth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One condition key under one operator of a statement's Condition block, e.g.
 * {@code "ForAnyValue:StringLikeIfExists": {"kms:EncryptionContextKeys": ["a*", "b"]}}.
 *
 * <p>Evaluation follows
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html">Conditions
 * with multiple context keys or values</a> and
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">Condition
 * operators</a>:
 * <ul>
 *   <li>Conditions of one statement (different operators, different keys) are ANDed by
 *       {@link Statement}.</li>
 *   <li>A request value satisfies a positive operator if it matches any policy value (OR), and a
 *       negated one if it matches none of them (NOR).</li>
 *   <li>Key absent (or present with no values): {@code ...IfExists} is true; {@code ForAllValues:}
 *       is true; {@code ForAnyValue:} is false; otherwise a negated operator is true and a positive
 *       one false ("If the policy condition requires that the key is not matched ... and the right
 *       key is not present, the condition is true").</li>
 *   <li>{@code Null} is true when the key's absence equals the policy value (either of them, if the
 *       policy lists both).</li>
 *   <li>{@code ForAllValues:}: every request value satisfies the operator. {@code ForAnyValue:}: at
 *       least one does.</li>
 *   <li>No prefix but several request values (AWS says not to do this): a positive operator needs
 *       one satisfying value, a negated one needs every value to satisfy it (the key must match none
 *       of the policy values). Both are the stricter reading.</li>
 * </ul>
 * Key names are case-insensitive; value comparison is case-sensitive except for the IgnoreCase
 * operators.
 */
public final class Condition {
    private final ConditionOperator operator;
    private final SetOperator setOperator;
    private final boolean ifExists;
    private final String key;
    private final String keyLowerCase;
    private final List<String> values;
    private final List<ConditionValue> parsedValues;

    Condition(ConditionOperator operator, SetOperator setOperator, boolean ifExists, String key,
            List<String> values, List<ConditionValue> parsedValues) {
        this.operator = operator;
        this.setOperator = setOperator;
        this.ifExists = ifExists;
        this.key = key;
        this.keyLowerCase = key.toLowerCase(Locale.ROOT);
        this.values = List.copyOf(values);
        this.parsedValues = List.copyOf(parsedValues);
    }

    public ConditionOperator operator() {
        return operator;
    }

    public SetOperator setOperator() {
        return setOperator;
    }

    /** Whether the operator carried the {@code IfExists} suffix. */
    public boolean ifExists() {
        return ifExists;
    }

    /** The condition key as written in the policy (it is compared ignoring case). */
    public String key() {
        return key;
    }

    /** The policy values as written (JSON numbers and booleans as their text). */
    public List<String> values() {
        return values;
    }

    /**
     * Whether the condition holds for {@code context}.
     *
     * @throws PolicyTemplate.UnresolvedVariableException if a value needs a variable the context lacks
     */
    boolean evaluate(RequestContext context) {
        List<String> requestValues = context.conditionValues(keyLowerCase);
        boolean present = !requestValues.isEmpty();
        if (operator == ConditionOperator.NULL) {
            return parsedValues.stream().anyMatch(v -> ((ConditionValue.NullCheck) v).keyAbsent() != present);
        }
        if (!present) {
            if (ifExists) {
                return true;
            }
            return switch (setOperator) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> operator.isNegated();
            };
        }
        // Resolve every value before comparing any, so whether an unresolvable variable voids the
        // statement does not depend on the order of the values.
        List<ConditionValue> resolved = new ArrayList<>(parsedValues.size());
        for (ConditionValue value : parsedValues) {
            resolved.add(value.resolve(context));
        }
        boolean everyValueMustSatisfy = switch (setOperator) {
            case FOR_ALL_VALUES -> true;
            case FOR_ANY_VALUE -> false;
            case NONE -> operator.isNegated();
        };
        return everyValueMustSatisfy
                ? requestValues.stream().allMatch(r -> satisfies(resolved, r))
                : requestValues.stream().anyMatch(r -> satisfies(resolved, r));
    }

    private boolean satisfies(List<ConditionValue> policyValues, String requestValue) {
        boolean matchesAny = policyValues.stream().anyMatch(p -> operator.matches(p, requestValue));
        return operator.isNegated() != matchesAny;
    }

    /** The operator as it would be written in a policy, e.g. {@code ForAnyValue:StringLikeIfExists}. */
    public String operatorName() {
        String prefix = setOperator == SetOperator.NONE ? "" : setOperator.awsName() + ":";
        return prefix + operator.awsName() + (ifExists ? "IfExists" : "");
    }

    @Override
    public String toString() {
        return operatorName() + " " + key + " " + values;
    }
}

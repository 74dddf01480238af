package dev.coffer.auth.policy;

import java.util.Optional;

/**
 * The condition set operators that prefix a condition operator for multivalued context keys
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html">Single-valued
 * vs. multivalued context keys</a>).
 */
public enum SetOperator {
    /** No prefix: the operator compares a (normally single-valued) key. */
    NONE(""),
    /** Every value of the key in the request must satisfy the operator; true if the key is absent. */
    FOR_ALL_VALUES("ForAllValues"),
    /** At least one value of the key in the request must satisfy the operator; false if absent. */
    FOR_ANY_VALUE("ForAnyValue");

    private final String awsName;

    SetOperator(String awsName) {
        this.awsName = awsName;
    }

    /** The prefix as written before the colon, or "" for {@link #NONE}. */
    public String awsName() {
        return awsName;
    }

    /** The set operator with this prefix, ignoring case (see {@link ConditionOperator#fromAwsName}). */
    static Optional<SetOperator> fromAwsName(String prefix) {
        for (SetOperator op : values()) {
            if (op != NONE && op.awsName.equalsIgnoreCase(prefix)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}

package dev.coffer.auth.policy;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One value of a condition, parsed once when the policy is parsed into the form its operator
 * compares, so a malformed number, date, address or base64 string is a parse error rather than a
 * silent mismatch at request time.
 */
sealed interface ConditionValue {

    /** Replaces policy variables with their values from the request; only text values have any. */
    default ConditionValue resolve(RequestContext context) {
        return this;
    }

    /** String and ARN operators; the only values that may contain policy variables. */
    record Text(PolicyTemplate template) implements ConditionValue {
        @Override
        public ConditionValue resolve(RequestContext context) {
            PolicyTemplate resolved = template.resolve(context);
            return resolved == template ? this : new Text(resolved);
        }
    }

    record Number(BigDecimal value) implements ConditionValue {
    }

    record Date(Instant value) implements ConditionValue {
    }

    record Bool(boolean value) implements ConditionValue {
    }

    /** BinaryEquals: the policy holds base64, compared byte for byte after decoding. */
    record Binary(byte[] value) implements ConditionValue {
    }

    record Ip(IpRange range) implements ConditionValue {
    }

    /** Null: {@code true} means the key must be absent, {@code false} that it must be present. */
    record NullCheck(boolean keyAbsent) implements ConditionValue {
    }
}

package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.aliceDecrypts;
import static dev.coffer.auth.policy.PolicyFixtures.conditionHolds;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ForAllValues and ForAnyValue on the multivalued key kms:EncryptionContextKeys. */
class SetOperatorTest {
    private static final String KEYS = "kms:EncryptionContextKeys";

    private static boolean holds(String condition, String... encryptionContextKeys) {
        return conditionHolds(condition, aliceDecrypts().conditionKey(KEYS, encryptionContextKeys).build());
    }

    private static boolean holdsWithoutKey(String condition) {
        return conditionHolds(condition, aliceDecrypts().build());
    }

    @Test
    void forAllValuesRequiresEveryRequestValueToBeListed() {
        String condition = "{\"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\": [\"aws:s3:arn\", \"department\"]}}";
        assertThat(holds(condition, "aws:s3:arn")).isTrue();
        assertThat(holds(condition, "department", "aws:s3:arn")).isTrue();
        assertThat(holds(condition, "aws:s3:arn", "project")).isFalse();
    }

    @Test
    void forAllValuesIsTrueWhenKeyIsMissingOrEmpty() {
        String condition = "{\"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\": \"aws:s3:arn\"}}";
        assertThat(holdsWithoutKey(condition)).isTrue();
        assertThat(holds(condition)).isTrue();
    }

    @Test
    void forAnyValueRequiresOneRequestValueToBeListed() {
        String condition = "{\"ForAnyValue:StringEquals\": {\"kms:EncryptionContextKeys\": [\"aws:s3:arn\", \"aws:ebs:id\"]}}";
        assertThat(holds(condition, "project", "aws:ebs:id")).isTrue();
        assertThat(holds(condition, "project", "department")).isFalse();
    }

    @Test
    void forAnyValueIsFalseWhenKeyIsMissingOrEmpty() {
        String condition = "{\"ForAnyValue:StringEquals\": {\"kms:EncryptionContextKeys\": \"aws:s3:arn\"}}";
        assertThat(holdsWithoutKey(condition)).isFalse();
        assertThat(holds(condition)).isFalse();
    }

    @Test
    void forAllValuesWithNegatedOperatorRequiresEveryValueToMatchNoPattern() {
        // The table of AWS's multivalued-context-key examples for "ForAllValues:StringNotLike": "key1*".
        String condition = "{\"ForAllValues:StringNotLike\": {\"kms:EncryptionContextKeys\": \"key1*\"}}";
        assertThat(holds(condition, "key1:legal")).isFalse();
        assertThat(holds(condition, "key1:hr", "key1:personnel")).isFalse();
        assertThat(holds(condition, "key2:audit")).isTrue();
        assertThat(holdsWithoutKey(condition)).isTrue();
    }

    @Test
    void forAnyValueWithNegatedOperatorNeedsOneValueOutsideTheList() {
        String condition = "{\"ForAnyValue:StringNotEquals\": {\"kms:EncryptionContextKeys\": [\"a\", \"b\"]}}";
        assertThat(holds(condition, "a", "b")).isFalse();
        assertThat(holds(condition, "a", "c")).isTrue();
        assertThat(holdsWithoutKey(condition)).isFalse();
    }

    @Test
    void forAllValuesStringLikeAppliesWildcardsToEachValue() {
        String condition = "{\"ForAllValues:StringLike\": {\"kms:EncryptionContextKeys\": \"aws:*\"}}";
        assertThat(holds(condition, "aws:s3:arn", "aws:ebs:id")).isTrue();
        assertThat(holds(condition, "aws:s3:arn", "tenant")).isFalse();
    }

    @Test
    void ifExistsWithSetOperatorIsTrueWhenKeyIsMissing() {
        assertThat(holdsWithoutKey("{\"ForAnyValue:StringEqualsIfExists\": {\"kms:EncryptionContextKeys\": \"a\"}}"))
                .isTrue();
    }

    @Test
    void withoutSetOperatorPositiveNeedsOneValueAndNegatedNeedsAllValuesToMatchNothing() {
        assertThat(holds("{\"StringEquals\": {\"kms:EncryptionContextKeys\": \"a\"}}", "b", "a")).isTrue();
        assertThat(holds("{\"StringNotEquals\": {\"kms:EncryptionContextKeys\": \"a\"}}", "b", "a")).isFalse();
        assertThat(holds("{\"StringNotEquals\": {\"kms:EncryptionContextKeys\": \"a\"}}", "b", "c")).isTrue();
    }
}

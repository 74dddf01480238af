package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.aliceDecrypts;
import static dev.coffer.auth.policy.PolicyFixtures.conditionHolds;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each operator family with the key present, absent, matching and not matching. */
class ConditionOperatorTest {

    private static boolean holds(String condition, String key, String... values) {
        return conditionHolds(condition, aliceDecrypts().conditionKey(key, values).build());
    }

    private static boolean holdsWithoutKeys(String condition) {
        return conditionHolds(condition, aliceDecrypts().build());
    }

    @Nested
    class StringOperators {
        @Test
        void stringEqualsComparesExactlyAndCaseSensitively() {
            String condition = "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}";
            assertThat(holds(condition, "kms:ViaService", "s3.us-east-1.amazonaws.com")).isTrue();
            assertThat(holds(condition, "kms:ViaService", "S3.us-east-1.amazonaws.com")).isFalse();
            assertThat(holds(condition, "kms:ViaService", "ec2.us-east-1.amazonaws.com")).isFalse();
        }

        @Test
        void stringEqualsTreatsStarAsLiteral() {
            assertThat(holds("{\"StringEquals\": {\"s3:prefix\": \"home/*\"}}", "s3:prefix", "home/alice")).isFalse();
            assertThat(holds("{\"StringEquals\": {\"s3:prefix\": \"home/*\"}}", "s3:prefix", "home/*")).isTrue();
        }

        @Test
        void stringEqualsOnMissingKeyIsFalse() {
            assertThat(holdsWithoutKeys("{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}"))
                    .isFalse();
        }

        @Test
        void severalPolicyValuesAreOred() {
            String condition = "{\"StringEquals\": {\"kms:ViaService\": [\"s3.us-east-1.amazonaws.com\", \"ec2.us-east-1.amazonaws.com\"]}}";
            assertThat(holds(condition, "kms:ViaService", "ec2.us-east-1.amazonaws.com")).isTrue();
            assertThat(holds(condition, "kms:ViaService", "rds.us-east-1.amazonaws.com")).isFalse();
        }

        @Test
        void stringNotEqualsRequiresValueToMatchNoneOfTheListedValues() {
            String condition = "{\"StringNotEquals\": {\"aws:PrincipalTag/role\": [\"audit\", \"security\"]}}";
            assertThat(holds(condition, "aws:PrincipalTag/role", "audit")).isFalse();
            assertThat(holds(condition, "aws:PrincipalTag/role", "security")).isFalse();
            assertThat(holds(condition, "aws:PrincipalTag/role", "developer")).isTrue();
        }

        @Test
        void negatedStringOperatorsOnMissingKeyAreTrue() {
            assertThat(holdsWithoutKeys("{\"StringNotEquals\": {\"s3:x-amz-server-side-encryption\": \"aws:kms\"}}")).isTrue();
            assertThat(holdsWithoutKeys("{\"StringNotLike\": {\"s3:prefix\": \"home/*\"}}")).isTrue();
            assertThat(holdsWithoutKeys("{\"StringNotEqualsIgnoreCase\": {\"s3:prefix\": \"a\"}}")).isTrue();
        }

        @Test
        void ignoreCaseOperatorsIgnoreCaseOfValues() {
            assertThat(holds("{\"StringEqualsIgnoreCase\": {\"s3:prefix\": \"HOME/\"}}", "s3:prefix", "home/")).isTrue();
            assertThat(holds("{\"StringNotEqualsIgnoreCase\": {\"s3:prefix\": \"HOME/\"}}", "s3:prefix", "home/")).isFalse();
            assertThat(holds("{\"StringNotEqualsIgnoreCase\": {\"s3:prefix\": \"HOME/\"}}", "s3:prefix", "work/")).isTrue();
        }

        @Test
        void stringLikeTakesWildcards() {
            String condition = "{\"StringLike\": {\"s3:prefix\": [\"\", \"home/\", \"home/*/docs/?\"]}}";
            assertThat(holds(condition, "s3:prefix", "")).isTrue();
            assertThat(holds(condition, "s3:prefix", "home/alice/docs/a")).isTrue();
            assertThat(holds(condition, "s3:prefix", "home/alice/docs/ab")).isFalse();
            assertThat(holds(condition, "s3:prefix", "HOME/")).isFalse();
        }

        @Test
        void stringNotLikeIsFalseWhenValueMatchesPattern() {
            assertThat(holds("{\"StringNotLike\": {\"s3:prefix\": \"home/*\"}}", "s3:prefix", "home/alice")).isFalse();
            assertThat(holds("{\"StringNotLike\": {\"s3:prefix\": \"home/*\"}}", "s3:prefix", "work/alice")).isTrue();
        }

        @Test
        void conditionKeyNamesAreCaseInsensitive() {
            assertThat(holds("{\"StringEquals\": {\"KMS:VIASERVICE\": \"s3.us-east-1.amazonaws.com\"}}",
                    "kms:viaService", "s3.us-east-1.amazonaws.com")).isTrue();
        }

        @Test
        void tagKeysMayContainSpaces() {
            assertThat(holds("{\"StringEquals\": {\"aws:ResourceTag/Cost Center\": \"12345\"}}",
                    "aws:ResourceTag/Cost Center", "12345")).isTrue();
        }

        @Test
        void encryptionContextKeysWithColonsAreOrdinaryKeys() {
            String condition = "{\"StringEquals\": {\"kms:EncryptionContext:aws:s3:arn\": \"arn:aws:s3:::example-bucket/a\"}}";
            assertThat(holds(condition, "kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::example-bucket/a")).isTrue();
            assertThat(holds(condition, "kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::example-bucket/b")).isFalse();
        }
    }

    @Nested
    class Combination {
        @Test
        void severalKeysUnderOneOperatorAreAnded() {
            String condition = """
                    {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}""";
            assertThat(conditionHolds(condition, aliceDecrypts()
                    .conditionKey("kms:CallerAccount", "111122223333")
                    .conditionKey("kms:ViaService", "s3.us-east-1.amazonaws.com").build())).isTrue();
            assertThat(conditionHolds(condition, aliceDecrypts()
                    .conditionKey("kms:CallerAccount", "111122223333").build())).isFalse();
        }

        @Test
        void severalOperatorsAreAnded() {
            String condition = """
                    {"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}""";
            assertThat(conditionHolds(condition, aliceDecrypts()
                    .conditionKey("aws:SecureTransport", "true").conditionKey("aws:SourceIp", "203.0.113.9").build())).isTrue();
            assertThat(conditionHolds(condition, aliceDecrypts()
                    .conditionKey("aws:SecureTransport", "false").conditionKey("aws:SourceIp", "203.0.113.9").build())).isFalse();
        }
    }

    @Nested
    class NumericOperators {
        @Test
        void comparesNumericallyNotTextually() {
            assertThat(holds("{\"NumericLessThanEquals\": {\"s3:max-keys\": \"10\"}}", "s3:max-keys", "9")).isTrue();
            assertThat(holds("{\"NumericLessThanEquals\": {\"s3:max-keys\": \"10\"}}", "s3:max-keys", "10.0")).isTrue();
            assertThat(holds("{\"NumericLessThanEquals\": {\"s3:max-keys\": \"10\"}}", "s3:max-keys", "100")).isFalse();
            assertThat(holds("{\"NumericEquals\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10.00")).isTrue();
        }

        @Test
        void strictAndInclusiveBoundsDiffer() {
            assertThat(holds("{\"NumericLessThan\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10")).isFalse();
            assertThat(holds("{\"NumericGreaterThan\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10")).isFalse();
            assertThat(holds("{\"NumericGreaterThanEquals\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10")).isTrue();
            assertThat(holds("{\"NumericGreaterThan\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10.5")).isTrue();
        }

        @Test
        void requestValueThatIsNoNumberMatchesNothing() {
            assertThat(holds("{\"NumericLessThan\": {\"s3:max-keys\": 10}}", "s3:max-keys", "many")).isFalse();
        }

        @Test
        void missingKeyIsFalseForPositiveAndTrueForNegated() {
            assertThat(holdsWithoutKeys("{\"NumericLessThan\": {\"s3:max-keys\": 10}}")).isFalse();
            assertThat(holdsWithoutKeys("{\"NumericNotEquals\": {\"s3:max-keys\": 10}}")).isTrue();
            assertThat(holds("{\"NumericNotEquals\": {\"s3:max-keys\": 10}}", "s3:max-keys", "10")).isFalse();
        }
    }

    @Nested
    class DateOperators {
        @Test
        void comparesIsoDatesAndEpochSeconds() {
            String before2030 = "{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}}";
            assertThat(holds(before2030, "aws:CurrentTime", "2029-12-31T23:59:59Z")).isTrue();
            assertThat(holds(before2030, "aws:CurrentTime", "2030-01-01T00:00:00Z")).isFalse();
            // 1893456000 is 2030-01-01T00:00:00Z.
            assertThat(holds(before2030, "aws:CurrentTime", "1893455999")).isTrue();
            assertThat(holds("{\"DateGreaterThanEquals\": {\"aws:EpochTime\": 1893456000}}", "aws:EpochTime",
                    "2030-01-01T01:00:00+01:00")).isTrue();
        }

        @Test
        void acceptsDateOnlyAndOffsetForms() {
            assertThat(holds("{\"DateEquals\": {\"aws:CurrentTime\": \"2030-01-01\"}}", "aws:CurrentTime",
                    "2030-01-01T00:00:00.000Z")).isTrue();
            assertThat(holds("{\"DateGreaterThan\": {\"aws:TokenIssueTime\": \"2020-01-01T00:00:01Z\"}}",
                    "aws:TokenIssueTime", "2020-01-01T00:00:01-00:01")).isTrue();
            assertThat(holds("{\"DateLessThanEquals\": {\"aws:CurrentTime\": \"2030-01\"}}", "aws:CurrentTime",
                    "2030-01-01T00:00:00Z")).isTrue();
        }

        @Test
        void missingKeyIsFalseForPositiveAndTrueForNegated() {
            assertThat(holdsWithoutKeys("{\"DateGreaterThan\": {\"aws:TokenIssueTime\": \"2020-01-01T00:00:01Z\"}}")).isFalse();
            assertThat(holdsWithoutKeys("{\"DateNotEquals\": {\"aws:TokenIssueTime\": \"2020-01-01T00:00:01Z\"}}")).isTrue();
        }

        @Test
        void requestValueThatIsNoDateMatchesNothing() {
            assertThat(holds("{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01\"}}", "aws:CurrentTime", "soon"))
                    .isFalse();
        }
    }

    @Nested
    class BoolAndBinaryOperators {
        @Test
        void boolComparesTruthValuesIgnoringCase() {
            assertThat(holds("{\"Bool\": {\"aws:SecureTransport\": \"true\"}}", "aws:SecureTransport", "true")).isTrue();
            assertThat(holds("{\"Bool\": {\"aws:SecureTransport\": true}}", "aws:SecureTransport", "TRUE")).isTrue();
            assertThat(holds("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}", "aws:SecureTransport", "true")).isFalse();
            assertThat(holds("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}", "aws:SecureTransport", "no")).isFalse();
        }

        @Test
        void boolOnMissingKeyIsFalse() {
            assertThat(holdsWithoutKeys("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}")).isFalse();
        }

        @Test
        void binaryEqualsComparesDecodedBytes() {
            String condition = "{\"BinaryEquals\": {\"aws:Key\": \"QmluYXJ5VmFsdWVJbkJhc2U2NA==\"}}";
            assertThat(holds(condition, "aws:Key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")).isTrue();
            assertThat(holds(condition, "aws:Key", "QmluYXJ5VmFsdWVJbkJhc2U2NQ==")).isFalse();
            assertThat(holds(condition, "aws:Key", "not base64!")).isFalse();
            assertThat(holdsWithoutKeys(condition)).isFalse();
        }
    }

    @Nested
    class IpAddressOperators {
        @Test
        void ipv4CidrContainsAddressesOfTheBlock() {
            String condition = "{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}";
            assertThat(holds(condition, "aws:SourceIp", "203.0.113.0")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "203.0.113.255")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "203.0.114.1")).isFalse();
        }

        @Test
        void prefixLengthsThatAreNotByteAlignedMaskCorrectly() {
            String condition = "{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/9\"}}";
            assertThat(holds(condition, "aws:SourceIp", "10.127.255.255")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "10.128.0.0")).isFalse();
        }

        @Test
        void addressWithoutPrefixIsASingleAddress() {
            String condition = "{\"IpAddress\": {\"aws:SourceIp\": \"192.0.2.7\"}}";
            assertThat(holds(condition, "aws:SourceIp", "192.0.2.7")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "192.0.2.8")).isFalse();
        }

        @Test
        void ipv6BlocksMatchIpv6AddressesOnly() {
            String condition = "{\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"2001:DB8:1234:5678::/64\"]}}";
            assertThat(holds(condition, "aws:SourceIp", "2001:db8:1234:5678::42")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "2001:db8:1234:5679::42")).isFalse();
            assertThat(holds("{\"IpAddress\": {\"aws:SourceIp\": \"::/0\"}}", "aws:SourceIp", "203.0.113.1")).isFalse();
        }

        @Test
        void ipv4MappedIpv6AddressIsItsIpv4Address() {
            assertThat(holds("{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}", "aws:SourceIp", "::ffff:203.0.113.5"))
                    .isTrue();
        }

        @Test
        void notIpAddressIsTrueOutsideTheBlockAndWhenKeyIsMissing() {
            String condition = "{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}";
            assertThat(holds(condition, "aws:SourceIp", "198.51.100.1")).isTrue();
            assertThat(holds(condition, "aws:SourceIp", "203.0.113.1")).isFalse();
            assertThat(holdsWithoutKeys(condition)).isTrue();
            assertThat(holdsWithoutKeys("{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}")).isFalse();
        }

        @Test
        void requestValueThatIsNoAddressMatchesNothing() {
            assertThat(holds("{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}", "aws:SourceIp", "example.com")).isFalse();
            assertThat(holds("{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}", "aws:SourceIp", "10.1")).isFalse();
        }
    }

    @Nested
    class ArnOperators {
        @Test
        void arnLikeMatchesEachArnPartSeparately() {
            // The example of the AWS condition-operator reference: StringLike matches, ArnLike does not.
            String value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
            String pattern = "arn:aws:someservice:*:111122223333:finance/*";
            assertThat(holds("{\"StringLike\": {\"aws:SourceArn\": \"" + pattern + "\"}}", "aws:SourceArn", value)).isTrue();
            assertThat(holds("{\"ArnLike\": {\"aws:SourceArn\": \"" + pattern + "\"}}", "aws:SourceArn", value)).isFalse();
            assertThat(holds("{\"ArnLike\": {\"aws:SourceArn\": \"" + pattern + "\"}}", "aws:SourceArn",
                    "arn:aws:someservice:us-east-2:111122223333:finance/document.txt")).isTrue();
        }

        @Test
        void arnEqualsBehavesLikeArnLike() {
            String condition = "{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:topic-?\"}}";
            assertThat(holds(condition, "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic-a")).isTrue();
            assertThat(holds(condition, "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic-ab")).isFalse();
        }

        @Test
        void arnMatchingIsCaseSensitive() {
            assertThat(holds("{\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:user/Alice\"}}",
                    "aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice")).isFalse();
        }

        @Test
        void negatedArnOperatorsAreTrueWhenKeyIsMissingOrDifferent() {
            String condition = "{\"ArnNotLike\": {\"aws:SourceArn\": \"arn:aws:sns:*:111122223333:*\"}}";
            assertThat(holdsWithoutKeys(condition)).isTrue();
            assertThat(holds(condition, "aws:SourceArn", "arn:aws:sns:us-east-1:444455556666:t")).isTrue();
            assertThat(holds(condition, "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t")).isFalse();
            assertThat(holds("{\"ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:us-east-1:111122223333:t\"}}",
                    "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t")).isFalse();
        }
    }

    @Nested
    class IfExists {
        @Test
        void missingKeyMakesIfExistsConditionTrue() {
            assertThat(holdsWithoutKeys("{\"StringEqualsIfExists\": {\"ec2:InstanceType\": \"t2.micro\"}}")).isTrue();
            assertThat(holdsWithoutKeys("{\"NumericLessThanIfExists\": {\"s3:max-keys\": 10}}")).isTrue();
            assertThat(holdsWithoutKeys("{\"IpAddressIfExists\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}")).isTrue();
        }

        @Test
        void presentKeyIsComparedAsWithoutIfExists() {
            String condition = "{\"StringLikeIfExists\": {\"ec2:InstanceType\": [\"t1.*\", \"t2.*\"]}}";
            assertThat(holds(condition, "ec2:InstanceType", "t2.micro")).isTrue();
            assertThat(holds(condition, "ec2:InstanceType", "m5.large")).isFalse();
        }

        @Test
        void negatedIfExistsInDenyStillDeniesWhenKeyIsMissing() {
            PolicyDocument policy = PolicyFixtures.identityPolicy("""
                    {"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": "*", "Resource": "*"},
                      {"Effect": "Deny", "Action": "*", "Resource": "*",
                       "Condition": {"StringNotEqualsIfExists": {"aws:RequestTag/team": "storage"}}}]}""");
            assertThat(PolicyFixtures.identityDecision(aliceDecrypts().build(), policy)).isEqualTo(Decision.EXPLICIT_DENY);
            assertThat(PolicyFixtures.identityDecision(aliceDecrypts().conditionKey("aws:RequestTag/team", "storage").build(),
                    policy)).isEqualTo(Decision.ALLOW);
        }
    }

    @Nested
    class NullOperator {
        @Test
        void nullTrueHoldsOnlyWhenKeyIsAbsent() {
            assertThat(holdsWithoutKeys("{\"Null\": {\"aws:TokenIssueTime\": \"true\"}}")).isTrue();
            assertThat(holds("{\"Null\": {\"aws:TokenIssueTime\": \"true\"}}", "aws:TokenIssueTime", "2024-01-01T00:00:00Z"))
                    .isFalse();
        }

        @Test
        void nullFalseHoldsOnlyWhenKeyIsPresent() {
            assertThat(holdsWithoutKeys("{\"Null\": {\"s3:x-amz-server-side-encryption\": false}}")).isFalse();
            assertThat(holds("{\"Null\": {\"s3:x-amz-server-side-encryption\": false}}", "s3:x-amz-server-side-encryption",
                    "aws:kms")).isTrue();
        }

        @Test
        void keyWithNoValuesCountsAsAbsent() {
            assertThat(holds("{\"Null\": {\"kms:EncryptionContextKeys\": \"true\"}}", "kms:EncryptionContextKeys")).isTrue();
        }
    }
}

package dev.coffer.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyDocumentParseTest {

    private static final String VALID_STATEMENT = """
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}""";

    private static void assertIdentityPolicyRejected(String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json, PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(message);
    }

    private static void assertResourcePolicyRejected(String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json, PolicyKind.RESOURCE))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(message);
    }

    /** A 2012-10-17 identity policy whose second statement is {@code statement}. */
    private static String withSecondStatement(String statement) {
        return """
                {"Version": "2012-10-17", "Statement": [%s, %s]}""".formatted(VALID_STATEMENT, statement);
    }

    @Test
    void parsesDefaultKeyPolicyAndKeepsItsJsonVerbatim() throws Exception {
        String json = """
                {
                  "Version" : "2012-10-17",
                  "Id" : "key-default-1",
                  "Statement" : [ {
                    "Sid" : "Enable IAM User Permissions",
                    "Effect" : "Allow",
                    "Principal" : {"AWS" : "arn:aws:iam::111122223333:root"},
                    "Action" : "kms:*",
                    "Resource" : "*"
                  } ]
                }
                """;
        PolicyDocument policy = PolicyDocument.parse(json, PolicyKind.RESOURCE);

        assertThat(policy.json()).isSameAs(json);
        assertThat(policy.kind()).isEqualTo(PolicyKind.RESOURCE);
        assertThat(policy.version()).contains("2012-10-17");
        assertThat(policy.id()).contains("key-default-1");
        assertThat(policy.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).contains("Enable IAM User Permissions");
            assertThat(s.effect()).isEqualTo(Effect.ALLOW);
        });
    }

    @Test
    void acceptsStatementAsSingleObjectAndPolicyWithoutVersion() throws Exception {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Statement": %s}""".formatted(VALID_STATEMENT), PolicyKind.IDENTITY);

        assertThat(policy.version()).isEmpty();
        assertThat(policy.statements()).hasSize(1);
    }

    @Test
    void exposesConditionsWithNumbersAndBooleansAsText() throws Exception {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "*",
                 "Condition": {"ForAnyValue:NumericGreaterThanIfExists": {"s3:max-keys": [10, 2.50]},
                               "Bool": {"aws:SecureTransport": false}}}}""", PolicyKind.IDENTITY);

        assertThat(policy.statements().getFirst().conditions()).satisfiesExactly(
                numeric -> {
                    assertThat(numeric.operator()).isEqualTo(ConditionOperator.NUMERIC_GREATER_THAN);
                    assertThat(numeric.setOperator()).isEqualTo(SetOperator.FOR_ANY_VALUE);
                    assertThat(numeric.ifExists()).isTrue();
                    assertThat(numeric.key()).isEqualTo("s3:max-keys");
                    assertThat(numeric.values()).containsExactly("10", "2.50");
                    assertThat(numeric.operatorName()).isEqualTo("ForAnyValue:NumericGreaterThanIfExists");
                },
                bool -> assertThat(bool.values()).containsExactly("false"));
    }

    @Test
    void acceptsConditionOperatorNamesInAnyCase() throws Exception {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"forallvalues:stringequalsifexists": {"kms:EncryptionContextKeys": "a"}}}}""",
                PolicyKind.IDENTITY);

        assertThat(policy.statements().getFirst().conditions().getFirst().operatorName())
                .isEqualTo("ForAllValues:StringEqualsIfExists");
    }

    @Test
    void rejectsInvalidJson() {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\": \"2012-10-17\",", PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageStartingWith("Policy is not valid JSON: ")
                .hasMessageContaining("line 1");
    }

    @Test
    void rejectsContentAfterThePolicyObject() {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\": " + VALID_STATEMENT + "} {}", PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageStartingWith("Policy is not valid JSON: ");
    }

    @Test
    void rejectsDuplicateJsonFieldsRatherThanPickingOne() {
        assertThatThrownBy(() -> PolicyDocument.parse("""
                {"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}}""",
                PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining("Duplicate field 'Effect'");
    }

    @Test
    void rejectsPolicyThatIsNotAnObject() {
        assertIdentityPolicyRejected("[" + VALID_STATEMENT + "]", "Policy must be a JSON object");
    }

    @Test
    void rejectsUnknownTopLevelElement() {
        assertIdentityPolicyRejected("""
                {"Version": "2012-10-17", "Statements": [%s]}""".formatted(VALID_STATEMENT),
                "Policy has an unknown element 'Statements'");
    }

    @Test
    void rejectsUnsupportedVersion() {
        assertIdentityPolicyRejected("""
                {"Version": "2012-10-18", "Statement": %s}""".formatted(VALID_STATEMENT),
                "Policy Version must be 2012-10-17 or 2008-10-17");
    }

    @Test
    void rejectsPolicyWithoutStatement() {
        assertIdentityPolicyRejected("{\"Version\": \"2012-10-17\"}", "Policy has no Statement");
    }

    @Test
    void rejectsEmptyStatementList() {
        assertIdentityPolicyRejected("{\"Version\": \"2012-10-17\", \"Statement\": []}", "Policy Statement must not be empty");
    }

    @Test
    void rejectsUnknownStatementElement() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Actions": "kms:Decrypt"}"""),
                "Statement 2: unknown element 'Actions'");
    }

    @Test
    void rejectsStatementWithoutEffect() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Action": "*", "Resource": "*"}"""), "Statement 2: missing Effect");
    }

    @Test
    void rejectsEffectOtherThanAllowOrDeny() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "allow", "Action": "*", "Resource": "*"}"""), "Statement 2: Effect must be Allow or Deny");
    }

    @Test
    void rejectsStatementWithoutAction() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Resource": "*"}"""), "Statement 2: missing Action or NotAction");
    }

    @Test
    void rejectsStatementWithBothActionAndNotAction() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "kms:Decrypt", "NotAction": "kms:Encrypt", "Resource": "*"}"""),
                "Statement 2: has both Action and NotAction");
    }

    @Test
    void rejectsActionWithoutServicePrefix() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "Decrypt", "Resource": "*"}"""),
                "Statement 2: Action 'Decrypt' must be '*' or service:action, e.g. kms:Decrypt");
    }

    @Test
    void rejectsEmptyActionList() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": [], "Resource": "*"}"""),
                "Statement 2: Action must be a string or a non-empty array of strings");
    }

    @Test
    void rejectsStatementWithoutResource() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*"}"""), "Statement 2: missing Resource or NotResource");
    }

    @Test
    void rejectsStatementWithBothResourceAndNotResource() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}"""),
                "Statement 2: has both Resource and NotResource");
    }

    @Test
    void rejectsResourceThatIsNeitherStarNorArn() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "example-bucket/*"}"""),
                "Statement 2: Resource 'example-bucket/*' must be '*' or an ARN");
    }

    @Test
    void rejectsPrincipalInIdentityPolicy() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"""),
                "Statement 2: an identity policy must not specify Principal");
    }

    @Test
    void rejectsResourcePolicyStatementWithoutPrincipal() {
        assertResourcePolicyRejected("{\"Statement\": " + VALID_STATEMENT + "}",
                "Statement 1: missing Principal or NotPrincipal");
    }

    @Test
    void rejectsStatementWithBothPrincipalAndNotPrincipal() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Deny", "Principal": "*", "NotPrincipal": {"AWS": "111122223333"},
                 "Action": "*", "Resource": "*"}}""", "Statement 1: has both Principal and NotPrincipal");
    }

    @Test
    void rejectsWildcardInPrincipalArn() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"},
                 "Action": "*", "Resource": "*"}}""",
                "Statement 1: Principal AWS 'arn:aws:iam::111122223333:user/*' must not contain wildcards"
                        + " (only \"*\" alone names everyone)");
    }

    @Test
    void rejectsAwsPrincipalThatIsNeitherAccountNorArn() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Allow", "Principal": {"AWS": "alice"}, "Action": "*", "Resource": "*"}}""",
                "Statement 1: Principal AWS 'alice' must be \"*\", a 12-digit account id or an ARN");
    }

    @Test
    void rejectsPrincipalStringOtherThanStar() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Allow", "Principal": "111122223333", "Action": "*", "Resource": "*"}}""",
                "Statement 1: Principal must be \"*\" or an object such as {\"AWS\": \"111122223333\"}");
    }

    @Test
    void rejectsUnsupportedPrincipalType() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Allow", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"},
                 "Action": "*", "Resource": "*"}}""", "Statement 1: Principal type 'CanonicalUser' is not supported");
    }

    @Test
    void rejectsUnknownPrincipalType() {
        assertResourcePolicyRejected("""
                {"Statement": {"Effect": "Allow", "Principal": {"Aws": "*"}, "Action": "*", "Resource": "*"}}""",
                "Statement 1: Principal has an unknown principal type 'Aws'");
    }

    @Test
    void rejectsUnsupportedConditionOperator() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"StringContains": {"s3:prefix": "home/"}}}"""),
                "Statement 2: unsupported condition operator 'StringContains'");
    }

    @Test
    void rejectsUnsupportedConditionSetOperator() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}}"""),
                "Statement 2: unsupported condition set operator 'ForSomeValues' in 'ForSomeValues:StringEquals'");
    }

    @Test
    void rejectsIfExistsOnNull() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"NullIfExists": {"aws:TokenIssueTime": "true"}}}"""),
                "Statement 2: unsupported condition operator 'NullIfExists': Null takes neither IfExists nor a set operator");
    }

    @Test
    void rejectsConditionKeyWithoutServicePrefix() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"SecureTransport": "true"}}}"""),
                "Statement 2: condition key 'SecureTransport' must be prefixed by its service, e.g. aws:SourceIp");
    }

    @Test
    void rejectsEmptyConditionOperatorBlock() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {}}}"""),
                "Statement 2: condition operator 'StringEquals' must map condition keys to values");
    }

    @Test
    void rejectsObjectAsConditionValue() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"StringEquals": {"kms:EncryptionContext": {"a": "b"}}}}"""),
                "Statement 2: condition StringEquals on kms:EncryptionContext must have a string, number or boolean"
                        + " value, or an array of them");
    }

    @Test
    void rejectsNonNumberForNumericOperator() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}"""),
                "Statement 2: condition NumericLessThan on s3:max-keys: 'ten' is not a number");
    }

    @Test
    void rejectsMalformedDate() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"DateLessThan": {"aws:CurrentTime": "31/12/2030"}}}"""),
                "Statement 2: condition DateLessThan on aws:CurrentTime: '31/12/2030' is not an ISO 8601 date or epoch seconds");
    }

    @Test
    void rejectsMalformedCidr() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}"""),
                "Statement 2: condition IpAddress on aws:SourceIp: '203.0.113.0/33' has an invalid prefix length");
    }

    @Test
    void rejectsHostNameWhereAnIpAddressBelongs() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "localhost"}}}"""),
                "Statement 2: condition IpAddress on aws:SourceIp: 'localhost' is not an IP address or CIDR block");
    }

    @Test
    void rejectsNonBooleanForBool() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}}"""),
                "Statement 2: condition Bool on aws:SecureTransport: 'yes' is not true or false");
    }

    @Test
    void rejectsNonBase64ForBinaryEquals() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"BinaryEquals": {"aws:Key": "#!"}}}"""),
                "Statement 2: condition BinaryEquals on aws:Key: '#!' is not base64");
    }

    @Test
    void rejectsDuplicateSid() {
        assertIdentityPolicyRejected("""
                {"Statement": [{"Sid": "One", "Effect": "Allow", "Action": "*", "Resource": "*"},
                               {"Sid": "One", "Effect": "Deny", "Action": "*", "Resource": "*"}]}""",
                "Statement 2: duplicate Sid 'One'");
    }

    @Test
    void rejectsNonStringSid() {
        assertIdentityPolicyRejected(withSecondStatement("""
                {"Sid": 7, "Effect": "Allow", "Action": "*", "Resource": "*"}"""), "Statement 2: Sid must be a string");
    }
}

package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.ACCOUNT;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.identityDecision;
import static dev.coffer.auth.policy.PolicyFixtures.identityPolicy;
import static dev.coffer.auth.policy.PolicyFixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyVariablesTest {
    private static final PolicyDocument HOME_DIRECTORIES = identityPolicy("""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-bucket",
               "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
              {"Effect": "Allow", "Action": "s3:*",
               "Resource": ["arn:aws:s3:::example-bucket/home/${aws:username}", "arn:aws:s3:::example-bucket/home/${aws:username}/*"]}]}""");

    private static Decision getObject(CallerPrincipal caller, String key, PolicyDocument policy) {
        return identityDecision(RequestContext.builder(caller, "s3:GetObject", "arn:aws:s3:::example-bucket/" + key).build(),
                policy);
    }

    @Test
    void usernameInResourceGivesEachUserTheirOwnHomeDirectory() {
        assertThat(getObject(alice(), "home/alice/notes.txt", HOME_DIRECTORIES)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(alice(), "home/bob/notes.txt", HOME_DIRECTORIES)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void usernameInConditionValueIsSubstituted() {
        RequestContext ownPrefix = RequestContext.builder(alice(), "s3:ListBucket", "arn:aws:s3:::example-bucket")
                .conditionKey("s3:prefix", "home/alice/photos").build();
        RequestContext otherPrefix = RequestContext.builder(alice(), "s3:ListBucket", "arn:aws:s3:::example-bucket")
                .conditionKey("s3:prefix", "home/bob/photos").build();

        assertThat(identityDecision(ownPrefix, HOME_DIRECTORIES)).isEqualTo(Decision.ALLOW);
        assertThat(identityDecision(otherPrefix, HOME_DIRECTORIES)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void useridAndPrincipalAccountAreSubstituted() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::shared/${aws:PrincipalAccount}/${aws:userid}/*"}}""");

        assertThat(getObjectFrom("arn:aws:s3:::shared/111122223333/AIDAALICEEXAMPLE/a", policy)).isEqualTo(Decision.ALLOW);
        assertThat(getObjectFrom("arn:aws:s3:::shared/111122223333/AIDABOBEXAMPLE/a", policy))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    private static Decision getObjectFrom(String objectArn, PolicyDocument policy) {
        return identityDecision(RequestContext.builder(alice(), "s3:GetObject", objectArn).build(), policy);
    }

    @Test
    void variableNamesAreCaseInsensitive() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/home/${AWS:UserName}/*"}}""");

        assertThat(getObject(alice(), "home/alice/a", policy)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void statementWithVariableTheCallerLacksDoesNotApplyEvenIfItDenies() {
        // The root has no aws:username; AWS says such a variable makes the whole statement invalid.
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::example-bucket/home/${aws:username}/*"},
                  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}""");

        assertThat(getObject(root(), "home/anyone/a", policy)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(alice(), "home/bob/a", policy)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(getObject(alice(), "home/alice/a", policy)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void defaultValueStandsInForMissingVariable() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/home/${aws:username, 'shared'}/*"}}""");

        assertThat(getObject(root(), "home/shared/a", policy)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(alice(), "home/alice/a", policy)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(alice(), "home/shared/a", policy)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void variableNotNeededWhenIfExistsKeyIsAbsent() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
                 "Condition": {"StringLikeIfExists": {"s3:prefix": "home/${aws:username}/*"}}}}""");
        RequestContext rootListsWithoutPrefix = RequestContext.builder(root(), "s3:ListBucket", "arn:aws:s3:::b").build();
        RequestContext rootListsWithPrefix = RequestContext.builder(root(), "s3:ListBucket", "arn:aws:s3:::b")
                .conditionKey("s3:prefix", "home/x/").build();

        assertThat(identityDecision(rootListsWithoutPrefix, policy))
                .isEqualTo(Decision.ALLOW);
        // The root is allowed anyway; what matters is that the statement was evaluated, not voided.
        assertThat(policy.statements().getFirst().appliesTo(rootListsWithoutPrefix)).isTrue();
        assertThat(policy.statements().getFirst().appliesTo(rootListsWithPrefix)).isFalse();
    }

    @Test
    void escapesStandForLiteralSpecialCharacters() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/${$}${*}${?}/*"}}""");

        assertThat(getObject(alice(), "$*?/a", policy)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(alice(), "$xy/a", policy)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void wildcardCharactersInVariableValuesAreLiteral() {
        CallerPrincipal oddName = CallerPrincipal.iamIdentity("arn:aws:iam::111122223333:user/odd", ACCOUNT, "a*", "AIDAODD");

        assertThat(getObject(oddName, "home/a*/x", HOME_DIRECTORIES)).isEqualTo(Decision.ALLOW);
        assertThat(getObject(oddName, "home/abc/x", HOME_DIRECTORIES)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void policiesOfVersion2008TreatVariablesAsLiteralText() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*"}}""");

        assertThat(getObject(alice(), "home/alice/a", policy)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(getObject(alice(), "home/${aws:username}/a", policy)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void textThatOnlyLooksLikeAVariableIsLiteral() {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/${not a variable}/${unclosed"}}""");

        assertThat(getObject(alice(), "${not a variable}/${unclosed", policy)).isEqualTo(Decision.ALLOW);
    }
}

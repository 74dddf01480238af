package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.KEY_ARN;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.identityDecision;
import static dev.coffer.auth.policy.PolicyFixtures.identityPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActionAndResourceMatchingTest {

    private static boolean allows(String actionElement, String resourceElement, String action, String resource) {
        PolicyDocument policy = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", %s, %s}}"""
                .formatted(actionElement, resourceElement));
        return identityDecision(RequestContext.builder(alice(), action, resource).build(), policy).isAllowed();
    }

    private static boolean allowsAction(String actionPattern, String action) {
        return allows("\"Action\": \"" + actionPattern + "\"", "\"Resource\": \"*\"", action, KEY_ARN);
    }

    private static boolean allowsResource(String resourcePattern, String resource) {
        return allows("\"Action\": \"*\"", "\"Resource\": \"" + resourcePattern + "\"", "s3:GetObject", resource);
    }

    @Test
    void actionsMatchIgnoringCase() {
        assertThat(allowsAction("KMS:decrypt", "kms:Decrypt")).isTrue();
        assertThat(allowsAction("kms:Decrypt", "KMS:DECRYPT")).isTrue();
    }

    @Test
    void serviceWildcardCoversEveryActionOfThatServiceOnly() {
        assertThat(allowsAction("kms:*", "kms:Decrypt")).isTrue();
        assertThat(allowsAction("kms:*", "kms:ScheduleKeyDeletion")).isTrue();
        assertThat(allowsAction("kms:*", "s3:GetObject")).isFalse();
    }

    @Test
    void prefixWildcardCoversActionsStartingWithPrefix() {
        assertThat(allowsAction("kms:Generate*", "kms:GenerateDataKey")).isTrue();
        assertThat(allowsAction("kms:Generate*", "kms:GenerateDataKeyWithoutPlaintext")).isTrue();
        assertThat(allowsAction("kms:Generate*", "kms:Decrypt")).isFalse();
        assertThat(allowsAction("s3:Get*", "s3:GetObject")).isTrue();
        assertThat(allowsAction("s3:Get*", "s3:PutObject")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(allowsAction("s3:?etObject", "s3:GetObject")).isTrue();
        assertThat(allowsAction("s3:?etObject", "s3:etObject")).isFalse();
        assertThat(allowsAction("s3:?etObject", "s3:GGetObject")).isFalse();
    }

    @Test
    void starActionCoversEveryAction() {
        assertThat(allowsAction("*", "kms:Decrypt")).isTrue();
        assertThat(allowsAction("*", "s3:PutObject")).isTrue();
    }

    @Test
    void anyActionInListMatches() {
        assertThat(allows("\"Action\": [\"kms:Encrypt\", \"kms:Decrypt\"]", "\"Resource\": \"*\"", "kms:Decrypt", KEY_ARN))
                .isTrue();
    }

    @Test
    void notActionCoversEveryActionExceptThoseListed() {
        String notAction = "\"NotAction\": [\"kms:ScheduleKeyDeletion\", \"kms:Disable*\"]";
        assertThat(allows(notAction, "\"Resource\": \"*\"", "kms:Decrypt", KEY_ARN)).isTrue();
        assertThat(allows(notAction, "\"Resource\": \"*\"", "kms:ScheduleKeyDeletion", KEY_ARN)).isFalse();
        assertThat(allows(notAction, "\"Resource\": \"*\"", "kms:DisableKey", KEY_ARN)).isFalse();
    }

    @Test
    void resourcesMatchCaseSensitively() {
        assertThat(allowsResource("arn:aws:s3:::example-bucket/*", "arn:aws:s3:::example-bucket/a.txt")).isTrue();
        assertThat(allowsResource("arn:aws:s3:::Example-Bucket/*", "arn:aws:s3:::example-bucket/a.txt")).isFalse();
    }

    @Test
    void wildcardInResourceIdSpansSlashesAndColons() {
        assertThat(allowsResource("arn:aws:s3:::example-bucket/*", "arn:aws:s3:::example-bucket/a/b:c/d.txt")).isTrue();
        assertThat(allowsResource("arn:aws:s3:::example-bucket/*", "arn:aws:s3:::example-bucket")).isFalse();
        assertThat(allowsResource("arn:aws:s3:::example-bucket/home/?ob", "arn:aws:s3:::example-bucket/home/bob")).isTrue();
    }

    @Test
    void wildcardMatchesWithinOneArnPartOnly() {
        String anyRegion = "arn:aws:kms:*:111122223333:key/*";
        assertThat(allowsResource(anyRegion, "arn:aws:kms:eu-west-1:111122223333:key/abc")).isTrue();
        assertThat(allowsResource(anyRegion, "arn:aws:kms:eu-west-1:444455556666:key/abc")).isFalse();
        // A '*' in the region part must not swallow "eu-west-1:999999999999:x" to line up the rest.
        assertThat(allowsResource(anyRegion, "arn:aws:kms:eu-west-1:999999999999:x:111122223333:key/abc")).isFalse();
    }

    @Test
    void starResourceCoversEveryResource() {
        assertThat(allowsResource("*", "arn:aws:s3:::any-bucket/any/key")).isTrue();
        assertThat(allowsResource("*", "*")).isTrue();
    }

    @Test
    void notResourceCoversEveryResourceExceptThoseListed() {
        String notResource = "\"NotResource\": \"arn:aws:s3:::secret-bucket/*\"";
        assertThat(allows("\"Action\": \"s3:*\"", notResource, "s3:GetObject", "arn:aws:s3:::public-bucket/a")).isTrue();
        assertThat(allows("\"Action\": \"s3:*\"", notResource, "s3:GetObject", "arn:aws:s3:::secret-bucket/a")).isFalse();
    }

    @Test
    void wildcardMatcherHandlesPathologicalPatterns() {
        int[] pattern = Wildcard.compile("*a*a*a*a*a*a*a*a*a*a*b");
        String text = "a".repeat(10_000);
        assertThat(Wildcard.matches(pattern, text)).isFalse();
        assertThat(Wildcard.matches(pattern, text + "b")).isTrue();
    }
}

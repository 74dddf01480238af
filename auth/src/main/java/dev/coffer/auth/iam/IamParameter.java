package dev.coffer.auth.iam;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request parameter of the IAM actions served here, with the constraints of its shape in the AWS
 * IAM model (botocore {@code iam/2010-05-08/service-2.json}). {@code UserName} appears twice because
 * the model gives a new user's name ({@code userNameType}, up to 64) a tighter limit than a name that
 * refers to an existing user ({@code existingUserNameType}, up to 128).
 *
 * <p>Patterns use Java's ASCII {@code \w}, which is what AWS's {@code [\w+=,.@-]} admits.
 */
public enum IamParameter {
    NEW_USER_NAME("UserName", "userName", 1, 64, "[\\w+=,.@-]+"),
    USER_NAME("UserName", "userName", 1, 128, "[\\w+=,.@-]+"),
    PATH("Path", "path", 1, 512, "(/)|(/[\\x21-\\x7E]+/)"),
    PATH_PREFIX("PathPrefix", "pathPrefix", 1, 512, "/[\\x21-\\x7F]*"),
    MARKER("Marker", "marker", 1, 320, "[\\x20-\\xFF]+"),
    /** An integer from 1 to 1000, not a string: see {@link #isInteger()}. */
    MAX_ITEMS("MaxItems", "maxItems", 1, 1000, null),
    ACCESS_KEY_ID("AccessKeyId", "accessKeyId", 16, 128, "[\\w]+"),
    POLICY_NAME("PolicyName", "policyName", 1, 128, "[\\w+=,.@-]+"),
    POLICY_DOCUMENT("PolicyDocument", "policyDocument", 1, 131_072, "[\\t\\n\\r\\x20-\\xFF]+");

    private final String wireName;
    private final String memberName;
    private final int min;
    private final int max;
    private final String patternText;
    private final Pattern pattern;

    IamParameter(String wireName, String memberName, int min, int max, String pattern) {
        this.wireName = wireName;
        this.memberName = memberName;
        this.min = min;
        this.max = max;
        this.patternText = pattern;
        this.pattern = pattern == null ? null : Pattern.compile(pattern);
    }

    /** The name on the wire, e.g. {@code UserName}. */
    public String wireName() {
        return wireName;
    }

    /** The name AWS uses in validation messages, e.g. {@code userName}. */
    public String memberName() {
        return memberName;
    }

    public boolean isInteger() {
        return pattern == null;
    }

    /**
     * The constraint {@code value} breaks, in AWS's words ("Member must have length less than or
     * equal to 64"), or empty if it is valid.
     */
    Optional<String> violation(String value) {
        if (isInteger()) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                return Optional.of("Member must be an integer");
            }
            if (n < min) {
                return Optional.of("Member must have value greater than or equal to " + min);
            }
            return n > max ? Optional.of("Member must have value less than or equal to " + max) : Optional.empty();
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            return Optional.of("Member must have length greater than or equal to " + min);
        }
        if (length > max) {
            return Optional.of("Member must have length less than or equal to " + max);
        }
        if (!pattern.matcher(value).matches()) {
            return Optional.of("Member must satisfy regular expression pattern: " + patternText);
        }
        return Optional.empty();
    }

    /** Whether a validation message may quote the value: not a whole policy document. */
    boolean echoedInMessages() {
        return this != POLICY_DOCUMENT;
    }
}

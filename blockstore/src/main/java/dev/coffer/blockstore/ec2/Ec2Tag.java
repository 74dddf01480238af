package dev.coffer.blockstore.ec2;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A resource tag. Constraints as EC2: keys 1-128 characters, values up to 256, the {@code aws:}
 * prefix reserved, at most {@value #MAX_TAGS_PER_RESOURCE} per resource.
 *
 * @param value null only in a DeleteTags request ("any value")
 */
public record Ec2Tag(String key, String value) {
    public static final int MAX_TAGS_PER_RESOURCE = 50;

    public Ec2Tag {
        Objects.requireNonNull(key, "key");
    }

    /** Checks tags about to be set. */
    static void validate(List<Ec2Tag> tags) {
        Set<String> keys = new HashSet<>();
        for (Ec2Tag tag : tags) {
            int keyLength = tag.key().codePointCount(0, tag.key().length());
            if (keyLength < 1 || keyLength > 128) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Tag keys must be 1 to 128 characters long.");
            }
            if (tag.key().regionMatches(true, 0, "aws:", 0, 4)) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE,
                        "Tag keys starting with 'aws:' are reserved for internal use");
            }
            if (tag.value() != null && tag.value().codePointCount(0, tag.value().length()) > 256) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Tag values may be at most 256 characters long.");
            }
            if (!keys.add(tag.key())) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Duplicate tag key '" + tag.key() + "' specified.");
            }
        }
        if (tags.size() > MAX_TAGS_PER_RESOURCE) {
            throw new Ec2Exception(Ec2Error.TAG_LIMIT_EXCEEDED, "The maximum number of tags per resource is " + MAX_TAGS_PER_RESOURCE + ".");
        }
    }
}

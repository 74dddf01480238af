package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.List;
import java.util.regex.Pattern;

/** AWS's naming rules for general purpose buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
public final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() {
    }

    public static boolean isValid(String name) {
        if (name == null || !SHAPE.matcher(name).matches() || name.contains("..") || name.contains(".-")
                || name.contains("-.") || IP_ADDRESS.matcher(name).matches()) {
            return false;
        }
        return RESERVED_PREFIXES.stream().noneMatch(name::startsWith) && RESERVED_SUFFIXES.stream().noneMatch(name::endsWith);
    }

    public static void requireValid(String name) {
        if (!isValid(name)) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME).with("BucketName", name);
        }
    }
}

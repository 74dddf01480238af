package dev.coffer.s3.ops.object;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.error.S3Exception;

/** Part numbers are 1 to 10,000. */
public final class PartNumbers {
    private PartNumbers() {
    }

    public static int parse(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= S3Config.MAX_PARTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
    }
}

package dev.coffer.s3.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request S3 answers with an error. Handlers throw it; only {@link S3ErrorRenderer} renders it.
 * Extra fields (BucketName, Key, ArgumentName, CanonicalRequest...) become elements of the error
 * document, as AWS sends them; they never carry secrets or object data.
 */
public final class S3Exception extends RuntimeException {
    private final S3Error error;
    private final Map<String, String> details = new LinkedHashMap<>();

    public S3Exception(S3Error error) {
        this(error, error.defaultMessage());
    }

    public S3Exception(S3Error error, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public S3Error error() {
        return error;
    }

    /** Adds an element to the error document. */
    public S3Exception with(String element, String value) {
        if (value != null) {
            details.put(element, value);
        }
        return this;
    }

    public Map<String, String> details() {
        return Map.copyOf(details);
    }

    /** Details in the order they were added. */
    public Iterable<Map.Entry<String, String>> orderedDetails() {
        return details.entrySet();
    }

    public static S3Exception invalidArgument(String message, String argumentName, String argumentValue) {
        return new S3Exception(S3Error.INVALID_ARGUMENT, message).with("ArgumentName", argumentName)
                .with("ArgumentValue", argumentValue);
    }
}

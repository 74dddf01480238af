package dev.coffer.s3.ops;

/**
 * One S3 operation's handler. It reads what it needs from the call, does the work, and answers
 * through {@link S3Call}; errors are thrown as {@link dev.coffer.s3.error.S3Exception}, never rendered.
 */
@FunctionalInterface
public interface S3Handler {
    void handle(S3Call call) throws Exception;
}

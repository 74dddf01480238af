package dev.coffer.s3.ops;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.engine.ObjectStore;
import java.time.Clock;

/** What every handler shares: settings, the object store, the authorizer and the clock. */
public record S3Context(S3Config config, ObjectStore store, S3Authorizer authorizer, Clock clock) {
}

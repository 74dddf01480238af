package dev.coffer.s3.ops;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.engine.ObjectStore;
import dev.coffer.s3.sse.ObjectKeys;
import java.time.Clock;

/**
 * What every handler shares: settings, the object store, the authorizer, the clock, and where
 * object data keys come from (server-side encryption).
 */
public record S3Context(S3Config config, ObjectStore store, S3Authorizer authorizer, Clock clock, ObjectKeys keys) {
}

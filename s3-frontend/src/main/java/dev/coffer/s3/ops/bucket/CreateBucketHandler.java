package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3XmlReader;
import dev.coffer.s3.xml.XmlElement;
import java.util.List;
import java.util.Map;

/**
 * CreateBucket: a valid name, an optional CreateBucketConfiguration whose LocationConstraint must
 * be this endpoint's region. A bucket the caller already owns is BucketAlreadyOwnedByYou (as in
 * every region but AWS's legacy us-east-1 answer, 200), another account's is BucketAlreadyExists.
 */
public final class CreateBucketHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        if (call.caller().isAnonymous()) {
            throw new S3Exception(S3Error.ACCESS_DENIED);
        }
        String name = call.request().bucket();
        BucketNames.requireValid(name);
        byte[] body = call.readSmallBody();
        String region = call.config().region();
        if (body.length > 0) {
            XmlElement configuration = S3XmlReader.parse(body, "CreateBucketConfiguration");
            String constraint = configuration.childText("LocationConstraint").orElse("");
            if (!constraint.isEmpty() && !constraint.equals(region)) {
                throw new S3Exception(S3Error.INVALID_LOCATION_CONSTRAINT,
                        "The " + constraint + " location constraint is incompatible for the region specific endpoint this request was sent to.")
                        .with("LocationConstraint", constraint);
            }
        }
        String account = call.caller().canonicalId();
        try {
            call.store().createBucket(name, account, region, call.clock().instant());
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.BUCKET_ALREADY_EXISTS) {
                boolean mine = call.store().bucket(name).map(b -> b.ownerAccountId().equals(account)).orElse(false);
                throw new S3Exception(mine ? S3Error.BUCKET_ALREADY_OWNED_BY_YOU : S3Error.BUCKET_ALREADY_EXISTS)
                        .with("BucketName", name);
            }
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(200, List.of(Map.entry("Location", "/" + name), Map.entry("Content-Length", "0")));
    }
}

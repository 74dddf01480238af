package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Handler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** PutBucketPolicy: validated by the policy parser (MalformedPolicy with its reason), stored as sent. */
public final class PutBucketPolicyHandler implements S3Handler {
    /** AWS's limit for a bucket policy. */
    static final int MAX_POLICY_BYTES = 20 * 1024;

    @Override
    public void handle(S3Call call) throws Exception {
        byte[] body = call.readSmallBody();
        if (body.length > MAX_POLICY_BYTES) {
            throw new S3Exception(S3Error.MALFORMED_POLICY, "Policies must be at most 20 KB.");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3Error.MALFORMED_POLICY, "Policies must be valid UTF-8 JSON.");
        }
        S3Authorizer.validateBucketPolicy(json);
        try {
            call.store().setBucketConfiguration(call.bucket().name(), S3Calls.POLICY, Optional.of(json));
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.RequestIntegrity;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.BucketEncryption;
import java.util.List;
import java.util.Optional;

/**
 * PutBucketEncryption: one Rule, validated as AWS does ({@link BucketEncryption#parse}), stored in
 * Coffer's versioned form. Content-MD5 or a checksum is required (AWS's requestChecksumRequired).
 * AWS answers 200 with no body.
 */
public final class PutBucketEncryptionHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        RequestIntegrity.requireContentMd5OrChecksum(call.request());
        BucketEncryption encryption = BucketEncryption.parse(call.readSmallBody(), BucketEncryption.of(call.bucket()));
        try {
            call.store().setBucketConfiguration(call.bucket().name(), BucketEncryption.CONFIGURATION_KIND,
                    Optional.of(encryption.toStored()));
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(200, List.of());
    }
}

package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3XmlWriter;
import dev.coffer.s3.xml.S3Xml;

/** ListBuckets: the caller's account's buckets, by name. */
public final class ListBucketsHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        if (call.caller().isAnonymous()) {
            throw new S3Exception(S3Error.ACCESS_DENIED);
        }
        String account = call.caller().canonicalId();
        S3XmlWriter xml = S3XmlWriter.document("ListAllMyBucketsResult");
        S3Xml.owner(xml, account);
        xml.start("Buckets");
        for (BucketRecord bucket : call.store().buckets()) {
            if (bucket.ownerAccountId().equals(account)) {
                xml.start("Bucket").element("Name", bucket.name())
                        .element("CreationDate", S3Xml.timestamp(bucket.createdAt()))
                        .element("BucketRegion", bucket.region()).end();
            }
        }
        xml.end();
        call.respondXml(200, xml);
    }
}

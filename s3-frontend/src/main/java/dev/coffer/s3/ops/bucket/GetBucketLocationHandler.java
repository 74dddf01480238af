package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3XmlWriter;

/** GetBucketLocation: the region, except that us-east-1 is the empty constraint, as AWS answers. */
public final class GetBucketLocationHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        String region = call.bucket().region();
        S3XmlWriter xml = S3XmlWriter.document("LocationConstraint");
        if (!region.equals("us-east-1")) {
            xml = S3XmlWriter.documentWithText("LocationConstraint", region);
        }
        call.respondXml(200, xml);
    }
}

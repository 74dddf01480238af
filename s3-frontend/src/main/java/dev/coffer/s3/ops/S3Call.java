package dev.coffer.s3.ops;

import dev.coffer.auth.service.ResponseWriter;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.service.StreamingExchange;
import dev.coffer.s3.S3Config;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.engine.ObjectStore;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Payload;
import dev.coffer.s3.http.S3Request;
import dev.coffer.s3.ops.object.BodyIngest;
import dev.coffer.s3.sse.ObjectKeys;
import dev.coffer.s3.xml.S3XmlWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one handler invocation needs: the parsed request, who sent it, the bucket (already
 * looked up and authorized for bucket and object operations), the store, and the ways to answer.
 * Every answer carries x-amz-request-id and x-amz-id-2.
 */
public final class S3Call {
    private final S3Request request;
    private final S3Operation operation;
    private final S3Caller caller;
    private final BucketRecord bucket;
    private final StreamingExchange exchange;
    private final S3Context context;
    private S3Payload payload;

    S3Call(S3Request request, S3Operation operation, S3Caller caller, BucketRecord bucket, StreamingExchange exchange,
           S3Context context) {
        this.request = request;
        this.operation = operation;
        this.caller = caller;
        this.bucket = bucket;
        this.exchange = exchange;
        this.context = context;
    }

    public S3Request request() {
        return request;
    }

    public S3Operation operation() {
        return operation;
    }

    public S3Caller caller() {
        return caller;
    }

    /** The addressed bucket; for CreateBucket and ListBuckets there is none. */
    public BucketRecord bucket() {
        if (bucket == null) {
            throw new IllegalStateException(operation + " has no bucket");
        }
        return bucket;
    }

    public ObjectStore store() {
        return context.store();
    }

    public S3Config config() {
        return context.config();
    }

    public Clock clock() {
        return context.clock();
    }

    public S3Authorizer authorizer() {
        return context.authorizer();
    }

    /** Where object data keys come from (server-side encryption). */
    public ObjectKeys keys() {
        return context.keys();
    }

    public String requestId() {
        return request.head().requestId();
    }

    /** The request body as the client meant it: aws-chunked decoded, its signatures and SHA-256 checked as it streams. */
    public S3Payload payload() {
        if (payload == null) {
            payload = S3Payload.of(request.head(), caller, exchange.body());
        }
        return payload;
    }

    /**
     * Reads a small request document (XML or JSON) whole, up to {@link S3Config#MAX_XML_BODY_BYTES},
     * with the same integrity checks as an object body (signatures, Content-MD5, x-amz-checksum-*).
     */
    public byte[] readSmallBody() throws IOException {
        return readSmallBody(true);
    }

    /**
     * @param checksumHeadersDescribeBody false where the x-amz-checksum-* headers are not the
     *     document's (CompleteMultipartUpload: they are the object's checksum, checked by the handler)
     */
    public byte[] readSmallBody(boolean checksumHeadersDescribeBody) throws IOException {
        S3Payload body = payload();
        if (body.decodedLength() > S3Config.MAX_XML_BODY_BYTES) {
            throw new S3Exception(S3Error.MALFORMED_XML, "The request document is too large.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (body.decodedLength() < 0) {
            byte[] bytes = body.stream().readNBytes(S3Config.MAX_XML_BODY_BYTES + 1);
            if (bytes.length > S3Config.MAX_XML_BODY_BYTES) {
                throw new S3Exception(S3Error.MALFORMED_XML, "The request document is too large.");
            }
            // No declared length (Transfer-Encoding: chunked): the bytes read get the same Content-MD5 and checksum checks.
            body = new S3Payload(new ByteArrayInputStream(bytes), bytes.length, null);
        }
        BodyIngest.ingest(request, body, out::write, S3Config.MAX_XML_BODY_BYTES, null, checksumHeadersDescribeBody);
        return out.toByteArray();
    }

    /** Answers with an XML document. */
    public void respondXml(int status, S3XmlWriter xml) throws IOException {
        respondXml(status, xml, List.of());
    }

    public void respondXml(int status, S3XmlWriter xml, List<Map.Entry<String, String>> extraHeaders) throws IOException {
        List<Map.Entry<String, String>> headers = baseHeaders();
        headers.addAll(extraHeaders);
        headers.add(Map.entry("Content-Type", "application/xml"));
        exchange.respond(new ServiceResponse(status, headers, xml.toBytes()));
    }

    /** Answers without a body (but with these headers; Content-Length given here is kept for HEAD). */
    public void respondEmpty(int status, List<Map.Entry<String, String>> extraHeaders) throws IOException {
        List<Map.Entry<String, String>> headers = baseHeaders();
        headers.addAll(extraHeaders);
        exchange.respond(new ServiceResponse(status, headers, new byte[0]));
    }

    public void respondBytes(int status, List<Map.Entry<String, String>> extraHeaders, byte[] body) throws IOException {
        List<Map.Entry<String, String>> headers = baseHeaders();
        headers.addAll(extraHeaders);
        exchange.respond(new ServiceResponse(status, headers, body));
    }

    /** Starts a streamed body; headers should carry Content-Length. */
    public ResponseWriter respondStreaming(int status, List<Map.Entry<String, String>> extraHeaders) throws IOException {
        List<Map.Entry<String, String>> headers = baseHeaders();
        headers.addAll(extraHeaders);
        return exchange.respond(status, headers);
    }

    private List<Map.Entry<String, String>> baseHeaders() {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("x-amz-request-id", requestId()));
        headers.add(Map.entry("x-amz-id-2", requestId()));
        return headers;
    }
}

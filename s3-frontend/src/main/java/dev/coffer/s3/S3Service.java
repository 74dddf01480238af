package dev.coffer.s3;

import dev.coffer.auth.service.RequestHead;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.service.StreamingExchange;
import dev.coffer.auth.service.StreamingProtocolService;
import dev.coffer.s3.auth.S3Authenticator;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3ErrorRenderer;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Addressing;
import dev.coffer.s3.http.S3Request;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Context;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.S3Handlers;
import dev.coffer.s3.ops.S3Operation;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 protocol on the edge port. Each request goes through the same named steps: address
 * (bucket, key), resolve the operation, authenticate, look up the bucket, authorize, run the
 * operation's handler. Errors are thrown by every step and rendered once, here.
 */
public final class S3Service implements StreamingProtocolService {
    private static final Logger LOG = LoggerFactory.getLogger(S3Service.class);

    private final S3Context context;
    private final S3Addressing addressing;
    private final S3Authenticator authenticator;
    private final Map<S3Operation, S3Handler> handlers;

    public S3Service(S3Context context, S3Authenticator authenticator) {
        this.context = context;
        this.addressing = new S3Addressing(context.config().virtualHostDomains());
        this.authenticator = authenticator;
        this.handlers = S3Handlers.all();
    }

    @Override
    public String signingName() {
        return "s3";
    }

    @Override
    public void handle(StreamingExchange exchange) throws Exception {
        RequestHead head = exchange.head();
        String resource = head.rawPath();
        try {
            S3Request request = addressing.parse(head);
            resource = request.resource();
            S3Operation operation = S3Operation.resolve(request);
            S3Caller caller = authenticator.authenticate(head);
            BucketRecord bucket = lookUpBucket(operation, request, caller);
            S3Calls.authorize(context, operation, request, caller, bucket);
            S3Handler handler = handlers.get(operation);
            if (handler == null) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, operation.awsName() + " is not implemented by Coffer.");
            }
            handler.handle(S3Calls.create(request, operation, caller, bucket, exchange, context));
        } catch (S3Exception e) {
            if (exchange.responded()) {
                throw new IllegalStateException("S3 error " + e.error().code() + " after the response started", e);
            }
            if (e.error().status() >= 500) {
                LOG.warn("S3 request {} failed: {}", head.requestId(), e.getMessage());
            }
            exchange.respond(S3ErrorRenderer.render(e, head.requestId(), resource, head.method().equals("HEAD")));
        }
    }

    private BucketRecord lookUpBucket(S3Operation operation, S3Request request, S3Caller caller) {
        if (operation.level() == S3Operation.Level.SERVICE || operation == S3Operation.CREATE_BUCKET) {
            return null;
        }
        Optional<BucketRecord> bucket = context.store().bucket(request.bucket());
        if (bucket.isEmpty()) {
            // An anonymous caller learns nothing about which buckets exist.
            throw caller.isAnonymous() ? new S3Exception(S3Error.ACCESS_DENIED)
                    : new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", request.bucket());
        }
        return bucket.get();
    }

    @Override
    public ServiceResponse malformedRequest(String requestId, boolean tooLarge) {
        S3Exception e = tooLarge
                ? new S3Exception(S3Error.REQUEST_HEADER_SECTION_TOO_LARGE)
                : new S3Exception(S3Error.INVALID_REQUEST, "The request is not valid HTTP/1.1.");
        return S3ErrorRenderer.render(e, requestId, "/", false);
    }

    @Override
    public ServiceResponse internalError(String requestId) {
        return S3ErrorRenderer.render(new S3Exception(S3Error.INTERNAL_ERROR), requestId, "/", false);
    }
}

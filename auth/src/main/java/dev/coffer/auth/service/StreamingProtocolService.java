package dev.coffer.auth.service;

/**
 * A protocol whose bodies stream in both directions (S3). The edge calls {@link #handle} on a
 * thread of its own (a virtual thread) as soon as a request's head has arrived; the handler may
 * block on the body, the disk or the KMS, and must answer through the exchange before it returns.
 * The edge feeds the body with backpressure and writes the response as the handler produces it,
 * so memory per request stays bounded whatever the object size.
 */
public interface StreamingProtocolService {
    /** The SigV4 service name this protocol answers as ({@code s3}). */
    String signingName();

    /**
     * Handles one request, answering through {@code exchange}. Client errors are rendered, not
     * thrown; an exception leaving here is an internal error: the edge answers with
     * {@link #internalError} if nothing was sent yet, or drops the connection otherwise.
     */
    void handle(StreamingExchange exchange) throws Exception;

    /** The protocol's own answer when handling failed unexpectedly: a generic message and the request id. */
    ServiceResponse internalError(String requestId);

    /**
     * The protocol's own answer to a request that is not valid HTTP/1.1 (for example a header section
     * or request line over the edge's limits), which the edge cannot route by its content.
     *
     * @param tooLarge whether the request line or headers were too large, rather than malformed
     */
    ServiceResponse malformedRequest(String requestId, boolean tooLarge);
}

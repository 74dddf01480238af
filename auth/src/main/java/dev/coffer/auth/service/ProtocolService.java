package dev.coffer.auth.service;

import java.time.Duration;

/**
 * A protocol served on Coffer's one edge port (KMS, IAM, EC2; S3 streams and has its own interface).
 * The edge tells protocols apart by the SigV4 credential scope's service name (or, unsigned, by
 * the request's shape), reads at most {@link #maxRequestBodyBytes()} of body (larger requests are
 * refused in the protocol's terms via {@link #requestTooLarge}), and calls {@link #handle} on a
 * worker thread, never on an event loop. The service authenticates the request itself, so that
 * every failure is rendered in its own protocol's error format.
 */
public interface ProtocolService {
    /** The SigV4 service name this protocol answers as: {@code kms}, {@code iam}, {@code ec2}. */
    String signingName();

    /** The largest request body accepted. */
    int maxRequestBodyBytes();

    /** How long one request may take before the edge answers with a timeout error. */
    Duration timeout();

    /** Handles one request; never throws for a client error (it renders it). */
    ServiceResponse handle(ServiceRequest request);

    /** The protocol's own answer to a body over {@link #maxRequestBodyBytes()}. */
    ServiceResponse requestTooLarge(String requestId);

    /** The protocol's own answer when handling failed unexpectedly or timed out: a generic message and the request id. */
    ServiceResponse internalError(String requestId);
}

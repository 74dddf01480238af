package dev.coffer.kms;

import dev.coffer.auth.identity.Principal;
import java.time.Instant;

/**
 * Who is calling and how: the authenticated principal, the access key used, and the transport facts
 * that policies and the audit trail need.
 *
 * @param viaService the AWS-style service name when a trusted Coffer service calls on the
 *     principal's behalf (e.g. {@code s3.us-east-1.amazonaws.com}), else null
 */
public record KmsCall(String requestId, Principal principal, String accessKeyId, String sourceIp, String userAgent,
                      boolean secureTransport, String viaService, Instant time) {
}

package dev.coffer.auth.iam;

import dev.coffer.auth.identity.Principal;
import java.time.Instant;

/**
 * Who is calling and how: the authenticated principal, the access key that signed the request, and
 * the transport facts that policy conditions need.
 */
public record IamCall(String requestId, Principal principal, String accessKeyId, String sourceIp,
                      boolean secureTransport, Instant time) {
}

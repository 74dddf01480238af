package dev.coffer.blockstore.ec2;

import dev.coffer.auth.identity.Principal;
import java.time.Instant;

/**
 * Who is calling and how: the authenticated principal, the access key that signed the request
 * (the requester named to the KMS), and the transport facts policy conditions need.
 */
record Ec2Call(String requestId, Principal principal, String accessKeyId, String sourceIp,
               boolean secureTransport, Instant time) {

    String accountId() {
        return principal.account().value();
    }
}

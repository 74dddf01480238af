package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.time.Instant;

/**
 * A request whose signature verified.
 *
 * @param principal who signed it
 * @param signingKey the derived signing key, needed to verify aws-chunked chunk signatures; destroy
 *     it when the request ends
 * @param seedSignature the request's signature, the first "previous signature" of a chunk chain
 * @param presigned whether it came from query parameters rather than the Authorization header
 */
public record SigV4Verified<P>(P principal, String accessKeyId, CredentialScope scope, Instant requestTime,
                               SecretBytes signingKey, String seedSignature, boolean presigned) {
}

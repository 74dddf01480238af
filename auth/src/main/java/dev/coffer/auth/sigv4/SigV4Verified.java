package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A request whose signature verified.
 *
 * @param principal who signed it
 * @param signingKey the derived signing key, needed to verify aws-chunked chunk signatures; destroy
 *     it when the request ends
 * @param seedSignature the request's signature, the first "previous signature" of a chunk chain
 * @param presigned whether it came from query parameters rather than the Authorization header
 * @param signedHeaders the lower-case names of the headers the signature covers
 */
public record SigV4Verified<P>(P principal, String accessKeyId, CredentialScope scope, Instant requestTime,
                               SecretBytes signingKey, String seedSignature, boolean presigned, List<String> signedHeaders) {
    public SigV4Verified {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** Whether the signature covers this header (case-insensitive). */
    public boolean signed(String headerName) {
        return signedHeaders.contains(headerName.toLowerCase(Locale.ROOT));
    }
}

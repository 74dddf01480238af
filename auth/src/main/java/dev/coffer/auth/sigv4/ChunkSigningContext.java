package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * What verifying a chain of chunk signatures needs from the request that carried it. The stream
 * borrows {@code signingKey}; its owner (the request, through {@link SigV4Verified}) destroys it.
 *
 * @param signingKey the derived SigV4 signing key of the request
 * @param amzDate the request's {@code x-amz-date}, e.g. {@code 20130524T000000Z}
 * @param scope the credential scope, e.g. {@code 20130524/us-east-1/s3/aws4_request}
 * @param seedSignature the request's own signature (64 lower-case hex), the first "previous signature"
 */
public record ChunkSigningContext(SecretBytes signingKey, String amzDate, String scope, String seedSignature) {
    public ChunkSigningContext {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(seedSignature, "seedSignature");
        if (seedSignature.length() != 64 || !seedSignature.equals(seedSignature.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("seedSignature must be 64 lower-case hex digits");
        }
        HexFormat.of().parseHex(seedSignature);
    }

    /** The context of a verified request. */
    public static ChunkSigningContext of(SigV4Verified<?> verified) {
        return new ChunkSigningContext(verified.signingKey(), SigV4.AMZ_DATE.format(verified.requestTime()),
                verified.scope().toString(), verified.seedSignature());
    }
}

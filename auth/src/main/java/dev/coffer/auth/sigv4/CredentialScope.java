package dev.coffer.auth.sigv4;

/** The credential scope of a signature: {@code date/region/service/aws4_request}. */
public record CredentialScope(String date, String region, String service) {
    @Override
    public String toString() {
        return date + '/' + region + '/' + service + '/' + SigV4.TERMINATOR;
    }
}

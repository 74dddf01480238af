package dev.coffer.s3.sse;

/** The three server-side encryption modes, with the value each shows in x-amz-server-side-encryption. */
public enum SseMode {
    /** Keys managed by S3: a per-object key under a service key held by the KMS. */
    SSE_S3(1, "AES256"),
    /** Keys from the KMS under a key the requester names (or aws/s3), on the requester's behalf. */
    SSE_KMS(2, "aws:kms"),
    /** The customer's own key, sent with every request and never stored. */
    SSE_C(3, null);

    private final int code;
    private final String headerValue;

    SseMode(int code, String headerValue) {
        this.code = code;
        this.headerValue = headerValue;
    }

    /** The byte the envelope stores. */
    int code() {
        return code;
    }

    /** x-amz-server-side-encryption's value; SSE-C objects answer with the customer-algorithm header instead. */
    public String headerValue() {
        return headerValue;
    }

    static SseMode ofCode(int code) {
        for (SseMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new SseEnvelope.EnvelopeException("unknown mode " + code);
    }
}

package dev.coffer.perf.s3;

/** The one key pair both servers accept (Coffer's root user, s3proxy's identity). Bench-only values. */
record S3Credentials(String accessKeyId, String secretAccessKey) {
    static final S3Credentials BENCH = new S3Credentials("AKIACOFFERBENCH00001", "bench-s3-secret-0123456789abcdefghijklmn");

    @Override
    public String toString() {
        return "S3Credentials[" + accessKeyId + "]";
    }
}

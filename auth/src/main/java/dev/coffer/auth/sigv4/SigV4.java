package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SigV4 constants and the signing-key derivation. */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** x-amz-date's format, e.g. 20150830T123600Z. */
    public static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SigV4() {}

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    public static byte[] signingKey(SecretBytes secretAccessKey, String date, String region, String service) {
        byte[] secret = secretAccessKey.toByteArray(SecretAccess.explicitly());
        byte[] seed = new byte[4 + secret.length];
        System.arraycopy("AWS4".getBytes(StandardCharsets.US_ASCII), 0, seed, 0, 4);
        System.arraycopy(secret, 0, seed, 4, secret.length);
        Arrays.fill(secret, (byte) 0);
        try {
            byte[] k = hmac(seed, date);
            k = hmac(k, region);
            k = hmac(k, service);
            return hmac(k, TERMINATOR);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}

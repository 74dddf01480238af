package dev.coffer.s3.ops.listing;

import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The parameters listings share: prefix, delimiter, max-keys (0 to 1000, default 1000) and
 * encoding-type (only "url"), and the continuation token format (opaque to clients: the base64url
 * of the last key or common prefix returned).
 */
public final class Listings {
    public static final int MAX_KEYS = 1000;

    private Listings() {
    }

    public static int maxKeys(S3Request request, String name) {
        String value = request.param(name);
        if (value == null) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return Math.min(n, MAX_KEYS);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Exception.invalidArgument("Provided " + name + " not an integer or within integer range", name, value);
    }

    /** Whether keys are URL-encoded in the answer; anything but "url" is InvalidArgument, as in AWS. */
    public static boolean urlEncoding(S3Request request) {
        String value = request.param("encoding-type");
        if (value == null) {
            return false;
        }
        if (!value.equals("url")) {
            throw S3Exception.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", value);
        }
        return true;
    }

    public static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public static String token(String lastReturned) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastReturned.getBytes(StandardCharsets.UTF_8));
    }

    public static String fromToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
        }
    }

    /** encoding-type=url: every byte but unreserved characters and '/' percent-encoded (space as %20, which every SDK decodes). */
    public static String encode(String value, boolean url) {
        if (!url || value == null) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

}

package dev.coffer.s3.http;

import dev.coffer.auth.service.RequestHead;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the bucket and key of a request. Virtual-hosted style when the Host header is
 * {@code <bucket>.<domain>} for one of the configured domains (e.g. {@code photos.localhost:9000});
 * otherwise path style, {@code /<bucket>/<key>}. Keys are taken from the raw path exactly as sent
 * (S3 does not normalise {@code //} or {@code ..}), then percent-decoded as strict UTF-8.
 */
public final class S3Addressing {
    private final Set<String> domains;

    /** @param domains host names under which buckets are addressed virtual-hosted style, lower case */
    public S3Addressing(Set<String> domains) {
        this.domains = Set.copyOf(domains);
    }

    public S3Request parse(RequestHead head) {
        Map<String, List<String>> query = decodeQuery(head.rawQuery());
        String path = head.rawPath();
        if (!path.startsWith("/")) {
            throw new S3Exception(S3Error.INVALID_URI);
        }
        String hostBucket = virtualHostBucket(head.header("Host"));
        if (hostBucket != null) {
            String key = path.length() > 1 ? decode(path.substring(1)) : null;
            return new S3Request(head, hostBucket, key, query);
        }
        String rest = path.substring(1);
        if (rest.isEmpty()) {
            return new S3Request(head, null, null, query);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return new S3Request(head, decode(rest), null, query);
        }
        String bucket = decode(rest.substring(0, slash));
        String key = rest.substring(slash + 1);
        return new S3Request(head, bucket, key.isEmpty() ? null : decode(key), query);
    }

    private String virtualHostBucket(String host) {
        if (host == null) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            return null;
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        // The endpoint's own host name is path style, and the longest matching domain wins: with both
        // localhost and s3.localhost configured, s3.localhost is no bucket "s3" and a.s3.localhost is bucket "a".
        String bucket = null;
        for (String domain : domains) {
            if (name.equals(domain)) {
                return null;
            }
            if (name.length() > domain.length() + 1 && name.endsWith("." + domain)) {
                String candidate = name.substring(0, name.length() - domain.length() - 1);
                if (bucket == null || candidate.length() < bucket.length()) {
                    bucket = candidate;
                }
            }
        }
        return bucket;
    }

    /** Decodes a query string: form-style pairs, percent-decoding with '+' kept as is (SigV4 clients encode spaces as %20). */
    public static Map<String, List<String>> decodeQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** Percent-decodes strictly: a bad escape or invalid UTF-8 is InvalidURI. */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new S3Exception(S3Error.INVALID_URI);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new S3Exception(S3Error.INVALID_URI);
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (n + utf8.length > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2 + utf8.length);
                }
                System.arraycopy(utf8, 0, bytes, n, utf8.length);
                n += utf8.length;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3Error.INVALID_URI);
        }
    }
}

package dev.coffer.auth.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds SigV4's canonical request and string to sign from a wire request. */
public final class CanonicalRequest {
    private CanonicalRequest() {}

    /** How the path is canonicalised: S3 keeps it as is; other services remove dot segments and empty segments. */
    public enum PathStyle { S3, NORMALIZED }

    /**
     * The canonical request.
     *
     * @param signedHeaders lower-case header names, as listed in SignedHeaders (sorted by the client)
     * @param excludeQueryParameter a query parameter left out (X-Amz-Signature for presigned URLs), or null
     */
    public static String build(SigV4Request request, List<String> signedHeaders, PathStyle pathStyle,
                               String excludeQueryParameter) {
        return request.method() + '\n'
                + canonicalUri(request.rawPath(), pathStyle) + '\n'
                + canonicalQuery(request.rawQuery(), excludeQueryParameter) + '\n'
                + canonicalHeaders(request, signedHeaders) + '\n'
                + String.join(";", signedHeaders) + '\n'
                + request.payloadHash();
    }

    /** The string to sign for a canonical request. */
    public static String stringToSign(String amzDate, String credentialScope, String canonicalRequest) {
        return SigV4.ALGORITHM + '\n' + amzDate + '\n' + credentialScope + '\n' + sha256Hex(canonicalRequest);
    }

    static String canonicalUri(String rawPath, PathStyle style) {
        String path = UriEncoding.decode(rawPath.isEmpty() ? "/" : rawPath);
        if (style == PathStyle.NORMALIZED) {
            path = normalize(path);
        }
        return UriEncoding.encode(path, true);
    }

    /** RFC 3986 dot-segment removal plus collapsing of empty segments, keeping a trailing slash. */
    static String normalize(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(segment);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String s : out) {
            b.append('/').append(s);
        }
        boolean trailing = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        if (b.isEmpty()) {
            return "/";
        }
        return trailing ? b.append('/').toString() : b.toString();
    }

    static String canonicalQuery(String rawQuery, String exclude) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : UriEncoding.decode(pair.substring(eq + 1));
            if (name.equals(exclude)) {
                continue;
            }
            params.add(new String[] {UriEncoding.encode(name, false), UriEncoding.encode(value, false)});
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder b = new StringBuilder();
        for (String[] p : params) {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(p[0]).append('=').append(p[1]);
        }
        return b.toString();
    }

    static String canonicalHeaders(SigV4Request request, List<String> signedHeaders) {
        Map<String, StringBuilder> values = new LinkedHashMap<>();
        for (String name : signedHeaders) {
            values.put(name, null);
        }
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!values.containsKey(name)) {
                continue;
            }
            String value = trimAll(h.getValue());
            StringBuilder existing = values.get(name);
            if (existing == null) {
                values.put(name, new StringBuilder(value));
            } else {
                existing.append(',').append(value);
            }
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, StringBuilder> e : values.entrySet()) {
            b.append(e.getKey()).append(':').append(e.getValue() == null ? "" : e.getValue()).append('\n');
        }
        return b.toString();
    }

    /** Trims and collapses runs of whitespace (including folded line breaks) into one space. */
    static String trimAll(String value) {
        StringBuilder b = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                space = !b.isEmpty();
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    public static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

}

package dev.coffer.auth.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The raw parameters of a Query-protocol request (IAM, EC2): form-encoded in the query string and,
 * for a POST, in the body ({@code application/x-www-form-urlencoded}); both are read, the query
 * string first. Each protocol renders the {@link Malformed} problems in its own error format.
 */
public final class QueryParameters {
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

    /** What a protocol does with a name given twice. */
    public enum Repeats {
        /** Any repeat is refused, rather than one value silently winning. */
        REFUSED,
        /** A repeat with the same value is accepted; with another value it is refused. */
        EQUAL_VALUES_ACCEPTED
    }

    /** Why the parameters cannot be read. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** The kinds of problem. */
        public enum Problem {
            /** A POST body with a Content-Type other than a form. */
            NOT_A_FORM,
            /** A name or value that is not validly percent-encoded. */
            BAD_ENCODING,
            /** A name given twice, see {@link Repeats}. */
            REPEATED
        }

        private final Problem problem;
        private final String parameterName;

        Malformed(Problem problem, String parameterName) {
            super(problem + (parameterName == null ? "" : ": " + parameterName));
            this.problem = problem;
            this.parameterName = parameterName;
        }

        public Problem problem() {
            return problem;
        }

        /** The repeated parameter's name ({@link Problem#REPEATED}), else null. */
        public String parameterName() {
            return parameterName;
        }
    }

    private QueryParameters() {
    }

    /**
     * Reads the query string, then (for a POST with a body) the form body, in order of arrival.
     *
     * @throws Malformed if the body is not a form, an encoding is broken, or a name repeats against {@code repeats}
     */
    public static Map<String, String> read(ServiceRequest request, Repeats repeats) {
        Objects.requireNonNull(repeats, "repeats");
        Map<String, String> out = new LinkedHashMap<>();
        decodeForm(request.rawQuery(), out, repeats);
        if (request.method().equals("POST") && request.body().length > 0) {
            String contentType = request.header("Content-Type");
            if (contentType != null && !contentType.strip().toLowerCase(Locale.ROOT).startsWith(FORM_CONTENT_TYPE)) {
                throw new Malformed(Malformed.Problem.NOT_A_FORM, null);
            }
            decodeForm(new String(request.body(), StandardCharsets.UTF_8), out, repeats);
        }
        return out;
    }

    private static void decodeForm(String form, Map<String, String> out, Repeats repeats) {
        if (form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Malformed(Malformed.Problem.BAD_ENCODING, null);
            }
            String earlier = out.putIfAbsent(name, value);
            if (earlier != null && (repeats == Repeats.REFUSED || !earlier.equals(value))) {
                throw new Malformed(Malformed.Problem.REPEATED, name);
            }
        }
    }
}

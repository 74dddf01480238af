package dev.coffer.auth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Resource or string/ARN condition value that may contain policy variables.
 *
 * <p>Supported, per
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html">IAM
 * policy elements: Variables and tags</a>: {@code ${key}} for any single-valued key of the request
 * context (names case-insensitive; {@link RequestContext} derives {@code aws:username},
 * {@code aws:userid}, {@code aws:PrincipalAccount} and {@code aws:PrincipalArn} from the caller), a
 * default value {@code ${key, 'default'}}, and the escapes {@code ${*}}, {@code ${?}} and
 * {@code ${$}} for a literal {@code *}, {@code ?} and {@code $}. Variables exist only in policies
 * with Version 2012-10-17; in older ones {@code ${...}} is literal text, as AWS specifies.
 *
 * <p>AWS says a variable it cannot resolve "causes the entire statement to be invalid": resolution
 * then throws {@link UnresolvedVariableException} and the statement does not apply, whatever its
 * effect. Text of the form {@code ${...}} that is not a variable reference (an unclosed brace, a
 * space in the name) stays literal text.
 */
final class PolicyTemplate {
    private static final Pattern REFERENCE = Pattern.compile("\\s*([^,\\s]+)\\s*(?:,\\s*'([^']*)'\\s*)?");

    /** Policy text: a {@code *} or {@code ?} in it is a wildcard where the element allows wildcards. */
    private record Text(String text) implements Part {
    }

    /** Text that came from an escape or a resolved variable: never a wildcard. */
    private record Literal(String text) implements Part {
    }

    private record Variable(String keyLowerCase, String defaultValue) implements Part {
    }

    private sealed interface Part permits Text, Literal, Variable {
    }

    private final String source;
    private final List<Part> parts;
    private final boolean constant;

    private PolicyTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.constant = this.parts.stream().noneMatch(p -> p instanceof Variable);
    }

    /** Parses {@code source}; with {@code variablesEnabled} false all of it is policy text. */
    static PolicyTemplate parse(String source, boolean variablesEnabled) {
        if (!variablesEnabled) {
            return new PolicyTemplate(source, List.of(new Text(source)));
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf("${", i);
            int close = open < 0 ? -1 : source.indexOf('}', open + 2);
            if (close < 0) {
                text.append(source, i, source.length());
                break;
            }
            text.append(source, i, open);
            Part part = reference(source.substring(open + 2, close));
            if (part == null) {
                text.append(source, open, close + 1);
            } else {
                flush(text, parts);
                parts.add(part);
            }
            i = close + 1;
        }
        flush(text, parts);
        return new PolicyTemplate(source, parts);
    }

    private static Part reference(String inside) {
        switch (inside) {
            case "*", "?", "$" -> {
                return new Literal(inside);
            }
            default -> {
                Matcher m = REFERENCE.matcher(inside);
                return m.matches() ? new Variable(m.group(1).toLowerCase(Locale.ROOT), m.group(2)) : null;
            }
        }
    }

    private static void flush(StringBuilder text, List<Part> parts) {
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    /** The value as written in the policy. */
    String source() {
        return source;
    }

    /** The policy text outside variable references, for validating an element's shape. */
    String textOutsideVariables() {
        StringBuilder b = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text t -> b.append(t.text());
                case Literal l -> b.append(l.text());
                case Variable v -> b.append('x');
            }
        }
        return b.toString();
    }

    /** Substitutes every variable from {@code context}; the result has none left. */
    PolicyTemplate resolve(RequestContext context) {
        if (constant) {
            return this;
        }
        List<Part> resolved = new ArrayList<>(parts.size());
        for (Part part : parts) {
            if (part instanceof Variable v) {
                Optional<String> value = context.variable(v.keyLowerCase());
                if (value.isPresent()) {
                    resolved.add(new Literal(value.get()));
                } else if (v.defaultValue() != null) {
                    resolved.add(new Literal(v.defaultValue()));
                } else {
                    throw new UnresolvedVariableException();
                }
            } else {
                resolved.add(part);
            }
        }
        return new PolicyTemplate(source, resolved);
    }

    /** The text with escapes applied and wildcards left as characters; the template must be resolved. */
    String text() {
        requireConstant();
        StringBuilder b = new StringBuilder();
        for (Part part : parts) {
            b.append(part instanceof Text t ? t.text() : ((Literal) part).text());
        }
        return b.toString();
    }

    /** The text as a {@link Wildcard} pattern; the template must be resolved. */
    int[] pattern() {
        requireConstant();
        List<int[]> pieces = new ArrayList<>(parts.size());
        int length = 0;
        for (Part part : parts) {
            int[] piece = part instanceof Text t ? Wildcard.compile(t.text()) : ((Literal) part).text().codePoints().toArray();
            pieces.add(piece);
            length += piece.length;
        }
        int[] pattern = new int[length];
        int at = 0;
        for (int[] piece : pieces) {
            System.arraycopy(piece, 0, pattern, at, piece.length);
            at += piece.length;
        }
        return pattern;
    }

    private void requireConstant() {
        if (!constant) {
            throw new IllegalStateException("policy template has unresolved variables");
        }
    }

    @Override
    public String toString() {
        return source;
    }

    /**
     * A policy variable the request context cannot resolve. It only unwinds the evaluation of one
     * statement (which then does not apply), so it carries no stack trace.
     */
    static final class UnresolvedVariableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnresolvedVariableException() {
            super("unresolved policy variable", null, false, false);
        }
    }
}

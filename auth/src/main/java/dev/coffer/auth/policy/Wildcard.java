package dev.coffer.auth.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Glob matching with AWS's two wildcards, {@code *} (any run of characters, including none) and
 * {@code ?} (exactly one character), over Unicode code points.
 *
 * <p>A compiled pattern is an {@code int[]} of code points in which the wildcards are the negative
 * sentinels {@link #ANY_RUN} and {@link #ANY_ONE}. That representation lets a pattern mix wildcards
 * from policy text with literal {@code *} and {@code ?} that came from a policy variable or from the
 * escapes {@code ${*}} and {@code ${?}}, which must never act as wildcards.
 */
final class Wildcard {
    static final int ANY_RUN = -1;
    static final int ANY_ONE = -2;
    private static final int ARN_SEPARATOR = ':';
    private static final int ARN_SEGMENTS = 6;

    private Wildcard() {
    }

    /** Compiles text in which every {@code *} and {@code ?} is a wildcard. */
    static int[] compile(String glob) {
        return glob.codePoints().map(c -> c == '*' ? ANY_RUN : c == '?' ? ANY_ONE : c).toArray();
    }

    /** Whether {@code text} matches the whole compiled {@code pattern}. */
    static boolean matches(int[] pattern, String text) {
        return matches(pattern, text.codePoints().toArray());
    }

    /*
     * The linear greedy algorithm: on a mismatch, retry from the last '*' with it swallowing one more
     * character. Only the last '*' needs remembering, so this never backtracks exponentially on
     * hostile patterns such as "*a*a*a*b".
     */
    static boolean matches(int[] pattern, int[] text) {
        int p = 0;
        int t = 0;
        int starAt = -1;
        int starText = 0;
        while (t < text.length) {
            if (p < pattern.length && (pattern[p] == ANY_ONE || pattern[p] == text[t])) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == ANY_RUN) {
                starAt = p++;
                starText = t;
            } else if (starAt >= 0) {
                p = starAt + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY_RUN) {
            p++;
        }
        return p == pattern.length;
    }

    /**
     * ARN matching as AWS defines it for Resource and the Arn condition operators: the six
     * colon-separated parts are matched separately, so a wildcard never spans a colon except within
     * the sixth part (the resource id, which may itself contain colons). A pattern with fewer parts
     * lets its last part cover the rest of the ARN, which makes {@code *} match any ARN.
     */
    static boolean matchesArn(int[] pattern, String arn) {
        List<int[]> patternParts = split(pattern, ARN_SEGMENTS);
        List<int[]> arnParts = split(arn.codePoints().toArray(), patternParts.size());
        if (arnParts.size() != patternParts.size()) {
            return false;
        }
        for (int i = 0; i < patternParts.size(); i++) {
            if (!matches(patternParts.get(i), arnParts.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<int[]> split(int[] codePoints, int maxParts) {
        List<int[]> parts = new ArrayList<>(maxParts);
        int start = 0;
        for (int i = 0; i < codePoints.length && parts.size() < maxParts - 1; i++) {
            if (codePoints[i] == ARN_SEPARATOR) {
                parts.add(Arrays.copyOfRange(codePoints, start, i));
                start = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(codePoints, start, codePoints.length));
        return parts;
    }
}

package dev.coffer.blockstore.ec2;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code Filter.N}: a name and the values any of which may match. Values may use EC2's
 * wildcards: {@code *} (any characters) and {@code ?} (one character); {@code \} escapes them.
 * Filters are ANDed, values within a filter ORed, as EC2 does.
 */
public record Ec2Filter(String name, List<String> values) {
    public Ec2Filter {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
    }

    /** Whether any of the resource's values for this filter matches any filter value. */
    boolean matchesAny(List<String> resourceValues) {
        for (String pattern : values) {
            Pattern p = wildcard(pattern);
            for (String v : resourceValues) {
                if (v != null && p.matcher(v).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Keeps the items every filter matches. {@code valuesOf} gives an item's values for a filter
     * name, or null when the name is not a filter of this listing (then InvalidParameterValue).
     */
    static <T> List<T> apply(List<Ec2Filter> filters, List<T> items, ValuesOf<T> valuesOf) {
        for (Ec2Filter f : filters) {
            if (!items.isEmpty() && valuesOf.values(items.getFirst(), f.name()) == null) {
                throw unknown(f.name());
            }
        }
        return items.stream().filter(item -> filters.stream().allMatch(f -> {
            List<String> v = valuesOf.values(item, f.name());
            if (v == null) {
                throw unknown(f.name());
            }
            return f.matchesAny(v);
        })).toList();
    }

    /** Checks filter names even when there is nothing to filter. */
    static void checkNames(List<Ec2Filter> filters, Function<String, Boolean> known) {
        for (Ec2Filter f : filters) {
            if (!known.apply(f.name())) {
                throw unknown(f.name());
            }
        }
    }

    private static Ec2Exception unknown(String name) {
        return new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "The filter '" + name + "' is invalid");
    }

    /** An item's values for a filter name. */
    @FunctionalInterface
    interface ValuesOf<T> {
        List<String> values(T item, String filterName);
    }
}

package dev.coffer.blockstore.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a Describe listing: up to MaxResults items after the NextToken. The token is the
 * last returned id, base64url-encoded so that clients treat it as opaque; a token that does not
 * decode is InvalidPaginationToken.
 */
record Ec2Page<T>(List<T> items, Optional<String> nextToken) {

    static <T> Ec2Page<T> of(List<T> sortedById, Function<T, String> id, Optional<String> token, int maxResults) {
        String after = token.map(Ec2Page::decode).orElse(null);
        List<T> out = new ArrayList<>();
        boolean more = false;
        for (T item : sortedById) {
            if (after != null && id.apply(item).compareTo(after) <= 0) {
                continue;
            }
            if (out.size() == maxResults) {
                more = true;
                break;
            }
            out.add(item);
        }
        return new Ec2Page<>(out, more ? Optional.of(encode(id.apply(out.getLast()))) : Optional.empty());
    }

    static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (id.matches("(vol|snap)-[0-9a-f]{8,17}")) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new Ec2Exception(Ec2Error.INVALID_PAGINATION_TOKEN, "Invalid pagination token");
    }

    /**
     * MaxResults, checked against the action's range; absent means everything. Above {@code max}
     * it is refused, unless {@code largerMeansMax}: DescribeVolumes documents that a larger value
     * returns at most 500 items, and the {@code aws} CLI asks every plain {@code describe-volumes}
     * for pages of 1000.
     */
    static int maxResults(Ec2Parameters parameters, int min, int max, boolean largerMeansMax, boolean idsGiven,
                          String idsMember) {
        Optional<Integer> value = parameters.integer("MaxResults");
        if (value.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        if (idsGiven) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_COMBINATION,
                    "The parameter " + idsMember + " cannot be used with the parameter maxResults");
        }
        int n = value.get();
        if (n > max && largerMeansMax) {
            return max;
        }
        if (n < min || n > max) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE,
                    "Value ( " + n + " ) for parameter maxResults is invalid. Expecting a value between " + min + " and " + max + ".");
        }
        return n;
    }
}

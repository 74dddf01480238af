package dev.coffer.auth.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 CIDR block, for IpAddress and NotIpAddress. A value without a prefix length is a
 * single address (AWS documents the default prefix {@code /32}; for IPv6 the equivalent is
 * {@code /128}).
 *
 * <p>Addresses are parsed here or by {@link Inet6Address#ofLiteral}, never by
 * {@code InetAddress.getByName}, so a value can never cause a DNS lookup. An IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}) is its IPv4 address. Zone ids and legacy IPv4 forms ({@code 10.1}) are
 * rejected.
 */
final class IpRange {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses a CIDR block; throws {@link IllegalArgumentException} naming the problem. */
    static IpRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = address(slash < 0 ? cidr : cidr.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
        }
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String digits = cidr.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > maxPrefix) {
                throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
            }
            prefix = Integer.parseInt(digits);
        }
        return new IpRange(address, prefix);
    }

    /** Whether {@code addressLiteral} is an address inside this block; false if it is no address. */
    boolean contains(String addressLiteral) {
        byte[] address = address(addressLiteral);
        if (address == null || address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xFF << (8 - remainingBits)) & 0xFF;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static byte[] address(String literal) {
        var ipv4 = IPV4.matcher(literal);
        if (ipv4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(ipv4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (!literal.contains(":") || literal.contains("%") || literal.startsWith("[")) {
            return null;
        }
        try {
            InetAddress parsed = Inet6Address.ofLiteral(literal);
            return parsed.getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

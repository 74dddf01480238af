package dev.coffer.gateway.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Formats socket addresses the way URLs and users expect: {@code 127.0.0.1:9090}, {@code [::1]:9090}. */
public final class HostPort {
    private HostPort() {}

    public static String of(InetSocketAddress address) {
        return host(address) + ":" + address.getPort();
    }

    /** {@code http://host:port} for a bound address. */
    public static String httpUrl(InetSocketAddress address) {
        return "http://" + of(address);
    }

    private static String host(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return address.getHostString();
        }
        String literal = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int scope = literal.indexOf('%');
            // A scope id is meaningless in a URL another host copies; strip it.
            return "[" + (scope >= 0 ? literal.substring(0, scope) : literal) + "]";
        }
        return literal;
    }
}

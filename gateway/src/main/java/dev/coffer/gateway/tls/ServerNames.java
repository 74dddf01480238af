package dev.coffer.gateway.tls;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a development server certificate carries (its subject alternative names), so that a client
 * on this machine reaches the HTTPS port under any name it is likely to use: {@code localhost} and its
 * subdomains (virtual-hosted S3 buckets: {@code bucket.localhost}), the machine's host name, the loopback
 * addresses, and the address the gateway listens on. Never looked up in DNS: nothing here sends a packet.
 *
 * @param dnsNames    lower-case DNS names, wildcards as {@code *.localhost}
 * @param ipAddresses IP addresses, without IPv6 scope
 */
record ServerNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {
    private static final int SAN_DNS_NAME = 2;
    private static final int SAN_IP_ADDRESS = 7;
    /** RFC 1123 host names; a machine whose name is not one gets no DNS entry for it. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** Where Linux keeps the host name; reading it avoids InetAddress.getLocalHost(), which may ask DNS. */
    private static final Path KERNEL_HOST_NAME = Path.of("/proc/sys/kernel/hostname");

    ServerNames {
        dnsNames = Set.copyOf(dnsNames);
        ipAddresses = Set.copyOf(ipAddresses);
    }

    /** The names for a gateway on this machine listening on {@code bindAddress}. */
    static ServerNames forThisMachine(InetAddress bindAddress) {
        List<InetAddress> interfaces = bindAddress.isAnyLocalAddress() ? interfaceAddresses() : List.of();
        return of(bindAddress, machineHostName(), interfaces);
    }

    /**
     * @param machineHostName  this machine's name, if known
     * @param wildcardAddresses the addresses a wildcard {@code bindAddress} ({@code 0.0.0.0}, {@code ::})
     *     listens on; ignored for any other bind address
     */
    static ServerNames of(InetAddress bindAddress, Optional<String> machineHostName,
                          Collection<InetAddress> wildcardAddresses) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost", "*.localhost"));
        machineHostName.flatMap(ServerNames::dnsName).ifPresent(dns::add);
        givenHostName(bindAddress).flatMap(ServerNames::dnsName).ifPresent(dns::add);
        Set<InetAddress> ips = new LinkedHashSet<>(List.of(literal("127.0.0.1"), literal("::1")));
        if (bindAddress.isAnyLocalAddress()) {
            wildcardAddresses.stream().map(ServerNames::withoutScope).forEach(ips::add);
        } else {
            ips.add(withoutScope(bindAddress));
        }
        return new ServerNames(dns, ips);
    }

    /** Whether {@code certificate} names every one of these names (it may name more). */
    boolean coveredBy(X509Certificate certificate) {
        Collection<List<?>> alternativeNames;
        try {
            alternativeNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (alternativeNames == null) {
            return false;
        }
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        for (List<?> name : alternativeNames) {
            int type = (Integer) name.get(0);
            if (type == SAN_DNS_NAME) {
                dns.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == SAN_IP_ADDRESS) {
                ips.add(literal((String) name.get(1)));
            }
        }
        return dns.containsAll(dnsNames) && ips.containsAll(ipAddresses);
    }

    static Optional<String> machineHostName() {
        try {
            return Optional.of(Files.readString(KERNEL_HOST_NAME).strip()).filter(name -> !name.isEmpty());
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME"));
        }
    }

    /** The host name {@code --bind} was given as, if it was one: InetAddress keeps it without a lookup. */
    private static Optional<String> givenHostName(InetAddress address) {
        String text = address.toString();
        int slash = text.indexOf('/');
        return slash > 0 ? Optional.of(text.substring(0, slash)) : Optional.empty();
    }

    private static Optional<String> dnsName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return HOST_NAME.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    /** Up interfaces' addresses, but not link-local ones: a URL cannot carry their scope portably. */
    private static List<InetAddress> interfaceAddresses() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(ServerNames::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> !address.isLinkLocalAddress())
                    .toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    private static boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress withoutScope(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    private static InetAddress literal(String text) {
        return InetAddress.ofLiteral(text);
    }
}

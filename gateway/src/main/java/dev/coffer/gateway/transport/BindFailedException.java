package dev.coffer.gateway.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A server could not listen on its address: the port is taken, or the address is not local. */
public final class BindFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    BindFailedException(InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + HostPort.of(address) + ": " + reason(cause), cause);
        this.address = address;
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * The OS's words (e.g. "Address already in use"), without the "bind(..) failed with error(-98): "
     * that the epoll transport puts in front, so both transports read the same.
     */
    private static String reason(Throwable cause) {
        if (cause == null || cause.getMessage() == null) {
            return cause == null ? "unknown reason" : cause.getClass().getSimpleName();
        }
        String message = cause.getMessage();
        int lastSeparator = message.lastIndexOf(": ");
        return lastSeparator >= 0 ? message.substring(lastSeparator + 2) : message;
    }
}

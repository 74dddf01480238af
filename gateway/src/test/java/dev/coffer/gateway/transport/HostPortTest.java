package dev.coffer.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void formatsIpv4AsHostColonPort() throws Exception {
        assertThat(HostPort.httpUrl(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9090)))
                .isEqualTo("http://127.0.0.1:9090");
    }

    @Test
    void bracketsIpv6() throws Exception {
        assertThat(HostPort.of(new InetSocketAddress(InetAddress.getByName("::1"), 9090)))
                .isEqualTo("[0:0:0:0:0:0:0:1]:9090");
    }

    @Test
    void bindFailureReadsTheSameForEpollAndNio() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9090);

        var epoll = new BindFailedException(address,
                new IOException("bind(..) failed with error(-98): Address already in use"));
        var nio = new BindFailedException(address, new BindException("Address already in use"));

        assertThat(epoll).hasMessage("cannot listen on 127.0.0.1:9090: Address already in use");
        assertThat(nio).hasMessage(epoll.getMessage());
    }
}

package dev.coffer.blockstore.nbd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;

/**
 * The NBD protocol stack of one connection. It starts as
 * <pre>
 *   handshake timeout -> handshake (greeting, client flags, options)
 * </pre>
 * and on NBD_OPT_GO / NBD_OPT_EXPORT_NAME the handshake replaces both with
 * <pre>
 *   request decoder (headers, write payloads) -> transmission (workers, replies, backpressure)
 * </pre>
 */
final class NbdServerInitializer extends ChannelInitializer<Channel> {
    static final String HANDSHAKE_TIMEOUT = "nbd-handshake-timeout";
    static final String HANDSHAKE = "nbd-handshake";
    static final String REQUEST_DECODER = "nbd-request-decoder";
    static final String TRANSMISSION = "nbd-transmission";

    private final NbdExports exports;
    private final NbdTransmissionHandler.Factory transmission;
    private final NbdServerConfig config;
    private final ChannelGroup connections;

    NbdServerInitializer(NbdExports exports, NbdTransmissionHandler.Factory transmission, NbdServerConfig config,
                         ChannelGroup connections) {
        this.exports = exports;
        this.transmission = transmission;
        this.config = config;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        channel.pipeline()
                .addLast(HANDSHAKE_TIMEOUT,
                        new ReadTimeoutHandler(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(HANDSHAKE, new NbdHandshakeHandler(exports, transmission));
    }
}

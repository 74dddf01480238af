package dev.coffer.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.gateway.transport.NativeSocketSend;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.UnixChannel;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heap body regions on a real epoll socket: the bytes arrive whole and in order even when the
 * socket's send buffer fills (send(2) answers EAGAIN and the event loop resumes later), they count
 * toward the channel's write buffer, and every buffer is released whether written or dropped.
 */
class HeapBodyRegionTest {
    private static final int CHUNK_BYTES = 256 * 1024;

    private EventLoopGroup loops;
    private Channel server;
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();

    @BeforeEach
    void start() {
        assumeTrue(Epoll.isAvailable() && NativeSocketSend.available(), "epoll and send(2) through FFM");
        loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, EdgeServer.WATER_MARK)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EdgeMessageSizes.INSTANCE)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bytesArriveWholeAndInOrderThroughAFullSendBufferAndEveryBufferIsReleased() throws Exception {
        int chunks = 64;
        try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
            Channel channel = accepted.get(5, TimeUnit.SECONDS);
            List<ByteBuf> buffers = new ArrayList<>();
            ChannelFuture last = null;
            boolean wentUnwritable = false;
            for (int i = 0; i < chunks; i++) {
                ByteBuf content = pattern(i);
                buffers.add(content);
                last = channel.writeAndFlush(new HeapBodyRegion(content, ((UnixChannel) channel).fd().intValue()));
                wentUnwritable |= !channel.isWritable();
            }
            // 16 MiB queued against a client that has not read yet: over the 1 MiB high-water mark, and
            // more than both sockets' buffers hold, so send(2) answers EAGAIN along the way.
            assertThat(wentUnwritable).isTrue();
            Thread.sleep(100);

            byte[] received = client.getInputStream().readNBytes(chunks * CHUNK_BYTES);
            assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(last.isSuccess()).isTrue();
            assertThat(received).hasSize(chunks * CHUNK_BYTES);
            for (int i = 0; i < chunks; i++) {
                assertThat(received[i * CHUNK_BYTES]).as("chunk %d", i).isEqualTo((byte) i);
                assertThat(received[(i + 1) * CHUNK_BYTES - 1]).as("chunk %d", i).isEqualTo((byte) (i + CHUNK_BYTES - 1));
            }
            assertThat(buffers).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        }
    }

    @Test
    void regionsStillQueuedWhenTheClientGoesAwayAreReleased() throws Exception {
        List<ByteBuf> buffers = new ArrayList<>();
        ChannelFuture last;
        try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
            Channel channel = accepted.get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 24; i++) {
                buffers.add(pattern(i));
            }
            last = null;
            for (ByteBuf content : buffers) {
                last = channel.writeAndFlush(new HeapBodyRegion(content, ((UnixChannel) channel).fd().intValue()));
            }
            InputStream in = client.getInputStream();
            assertThat(in.readNBytes(1000)).hasSize(1000);
            client.setSoLinger(true, 0);
        }
        assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(last.isSuccess()).isFalse();
        assertThat(buffers).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    /** Byte k of chunk i is (i + k) mod 256, from a pooled heap buffer as the edge lends them. */
    private static ByteBuf pattern(int i) {
        byte[] bytes = new byte[CHUNK_BYTES];
        for (int k = 0; k < CHUNK_BYTES; k++) {
            bytes[k] = (byte) (i + k);
        }
        return PooledByteBufAllocator.DEFAULT.heapBuffer(CHUNK_BYTES, CHUNK_BYTES).writeBytes(bytes);
    }
}

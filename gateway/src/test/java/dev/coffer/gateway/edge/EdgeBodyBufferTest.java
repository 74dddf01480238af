package dev.coffer.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.service.BodyBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Buffers a response writer lends: filled in place, sent as they are, and released on every path
 * (written, given back unsent, or written after the response ended). An embedded channel has no
 * file descriptor, so lent buffers go out as ordinary content there, as under TLS.
 */
class EdgeBodyBufferTest {
    @Test
    void aLentBufferIsSentWithTheBytesWrittenIntoItsWindow() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        EdgeResponseWriter writer = new EdgeResponseWriter(channel.pipeline().firstContext(), ok -> { });
        byte[] text = "decrypted".getBytes(StandardCharsets.US_ASCII);
        try (BodyBuffer buffer = writer.lend(64)) {
            assertThat(buffer.capacity()).isEqualTo(64);
            System.arraycopy(text, 0, buffer.array(), buffer.offset(), text.length);
            writer.write(buffer, text.length);
        }
        HttpContent sent = channel.readOutbound();
        assertThat(sent.content().toString(StandardCharsets.US_ASCII)).isEqualTo("decrypted");
        sent.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aBufferGivenBackUnsentIsReleasedAndCannotBeSentAfterwards() {
        ByteBuf content = Unpooled.buffer(16);
        EdgeBodyBuffer buffer = new EdgeBodyBuffer(content, 16);
        buffer.close();
        assertThat(content.refCnt()).isZero();
        assertThatThrownBy(() -> buffer.take(1)).isInstanceOf(IllegalStateException.class);
        buffer.close();
    }

    @Test
    void closingABufferAfterItWasTakenLeavesItToTheTransport() {
        ByteBuf content = Unpooled.buffer(16);
        EdgeBodyBuffer buffer = new EdgeBodyBuffer(content, 16);
        ByteBuf taken = buffer.take(5);
        buffer.close();
        assertThat(taken.refCnt()).isEqualTo(1);
        assertThat(taken.readableBytes()).isEqualTo(5);
        taken.release();
    }

    @Test
    void aBufferWrittenAfterTheResponseWasAbortedIsReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        EdgeResponseWriter writer = new EdgeResponseWriter(ctx, ok -> { });
        ByteBuf content = Unpooled.buffer(16);
        EdgeBodyBuffer buffer = new EdgeBodyBuffer(content, 16);
        writer.abort();
        assertThatThrownBy(() -> writer.write(buffer, 16)).isInstanceOf(IOException.class);
        assertThat(content.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLentWindowLargerThanTheBufferIsRefused() {
        ByteBuf content = Unpooled.buffer(8, 8);
        assertThatThrownBy(() -> new EdgeBodyBuffer(content, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(content.refCnt()).isZero();
    }
}

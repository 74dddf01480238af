package dev.coffer.blockstore.nbd;

import static dev.coffer.blockstore.nbd.NbdEmbedded.infoOrGoData;
import static dev.coffer.blockstore.nbd.NbdEmbedded.option;
import static dev.coffer.blockstore.nbd.NbdEmbedded.outbound;
import static dev.coffer.blockstore.nbd.NbdEmbedded.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NbdHandshakeHandlerTest {
    private final NbdExports exports = new NbdExports();
    private final MemoryBlockDevice device = new MemoryBlockDevice(1 << 20, 4096);
    private final UnpooledByteBufAllocator allocator = NbdEmbedded.countingAllocator();
    private final List<OptionReply> replies = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        exports.publish("vol-1", "a test volume", device);
        channel = new EmbeddedChannel(false, false, new NbdHandshakeHandler(exports,
                NbdTransmissionHandler.factory(Runnable::run, NbdServerConfig.defaults())));
        channel.config().setAllocator(allocator);
        channel.register();
    }

    @AfterEach
    void noBufferLeaked() {
        channel.finishAndReleaseAll();
        replies.forEach(reply -> reply.data().release());
        assertThat(NbdEmbedded.bytesInUse(allocator)).as("bytes the handlers did not release").isZero();
    }

    private record OptionReply(int option, int type, ByteBuf data) {
    }

    /** Sends client flags after checking the greeting. */
    private void greet(int clientFlags) {
        ByteBuf greeting = outbound(channel);
        assertThat(greeting.readLong()).isEqualTo(NbdWire.NBDMAGIC);
        assertThat(greeting.readLong()).isEqualTo(NbdWire.IHAVEOPT);
        assertThat(greeting.readUnsignedShort()).isEqualTo(NbdWire.FLAG_FIXED_NEWSTYLE | NbdWire.FLAG_NO_ZEROES);
        assertThat(greeting.isReadable()).isFalse();
        greeting.release();
        channel.writeInbound(Unpooled.buffer().writeInt(clientFlags));
    }

    private List<OptionReply> replies() {
        ByteBuf all = outbound(channel);
        List<OptionReply> replies = new ArrayList<>();
        while (all.isReadable()) {
            assertThat(all.readLong()).isEqualTo(NbdWire.OPTION_REPLY_MAGIC);
            int option = all.readInt();
            int type = all.readInt();
            replies.add(new OptionReply(option, type, Unpooled.copiedBuffer(all.readSlice(all.readInt()))));
        }
        all.release();
        this.replies.addAll(replies);
        return replies;
    }

    @Test
    void listsThePublishedNamesThenAcks() {
        greet(3);
        channel.writeInbound(option(3, Unpooled.EMPTY_BUFFER));
        List<OptionReply> replies = replies();
        assertThat(replies).extracting(OptionReply::type).containsExactly(NbdWire.REP_SERVER, NbdWire.REP_ACK);
        ByteBuf server = replies.get(0).data();
        int nameLength = server.readInt();
        assertThat(server.readCharSequence(nameLength, StandardCharsets.UTF_8).toString()).isEqualTo("vol-1");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void listWithDataIsInvalidAndTheHandshakeGoesOn() {
        greet(3);
        channel.writeInbound(option(3, Unpooled.buffer().writeInt(7)));
        assertThat(replies()).extracting(OptionReply::type).containsExactly(NbdWire.REP_ERR_INVALID);
        channel.writeInbound(option(3, Unpooled.EMPTY_BUFFER));
        assertThat(replies()).extracting(OptionReply::type).containsExactly(NbdWire.REP_SERVER, NbdWire.REP_ACK);
    }

    @Test
    void infoReportsSizeFlagsBlockSizesNameAndDescription() {
        greet(3);
        channel.writeInbound(option(6, infoOrGoData("vol-1", NbdWire.INFO_BLOCK_SIZE, NbdWire.INFO_NAME,
                NbdWire.INFO_DESCRIPTION)));
        List<OptionReply> replies = replies();
        assertThat(replies).extracting(OptionReply::type)
                .containsExactly(NbdWire.REP_INFO, NbdWire.REP_INFO, NbdWire.REP_INFO, NbdWire.REP_INFO, NbdWire.REP_ACK);
        ByteBuf export = replies.get(0).data();
        assertThat(export.readUnsignedShort()).isEqualTo(NbdWire.INFO_EXPORT);
        assertThat(export.readLong()).isEqualTo(1 << 20);
        int flags = export.readUnsignedShort();
        assertThat(flags).isEqualTo(NbdWire.TRANSMISSION_FLAGS);
        assertThat(flags & 2).as("not read-only").isZero();
        ByteBuf blockSize = replies.get(1).data();
        assertThat(blockSize.readUnsignedShort()).isEqualTo(NbdWire.INFO_BLOCK_SIZE);
        assertThat(blockSize.readInt()).isEqualTo(1);
        assertThat(blockSize.readInt()).isEqualTo(4096);
        assertThat(blockSize.readInt()).isEqualTo(32 << 20);
        assertThat(replies.get(2).data().skipBytes(2).toString(StandardCharsets.UTF_8)).isEqualTo("vol-1");
        assertThat(replies.get(3).data().skipBytes(2).toString(StandardCharsets.UTF_8)).isEqualTo("a test volume");
        assertThat(channel.pipeline().get(NbdHandshakeHandler.class)).as("INFO stays in the handshake").isNotNull();
    }

    @Test
    void unknownAndDefaultExportsAreErrUnknown() {
        greet(3);
        channel.writeInbound(option(7, infoOrGoData("nope")));
        channel.writeInbound(option(7, infoOrGoData("")));
        assertThat(replies()).extracting(OptionReply::type)
                .containsExactly(NbdWire.REP_ERR_UNKNOWN, NbdWire.REP_ERR_UNKNOWN);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void badLengthsInInfoAndGoAreInvalid() {
        greet(3);
        channel.writeInbound(option(6, Unpooled.buffer().writeShort(1)));
        channel.writeInbound(option(7, Unpooled.buffer().writeInt(100).writeBytes("vol-1".getBytes()).writeShort(0)));
        channel.writeInbound(option(7, Unpooled.buffer().writeInt(5).writeBytes("vol-1".getBytes()).writeShort(3)
                .writeShort(3)));
        assertThat(replies()).extracting(OptionReply::type)
                .containsExactly(NbdWire.REP_ERR_INVALID, NbdWire.REP_ERR_INVALID, NbdWire.REP_ERR_INVALID);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void structuredRepliesMetaContextsStartTlsAndUnknownOptionsAreUnsupported() {
        greet(3);
        for (int code : new int[] {8, 9, 10, 5, 4, 11, 12345}) {
            channel.writeInbound(option(code, Unpooled.buffer().writeInt(0)));
        }
        List<OptionReply> replies = replies();
        assertThat(replies).extracting(OptionReply::type).containsOnly(NbdWire.REP_ERR_UNSUP).hasSize(7);
        assertThat(replies).extracting(OptionReply::option).containsExactly(8, 9, 10, 5, 4, 11, 12345);
    }

    @Test
    void abortIsAcknowledgedThenTheConnectionCloses() {
        greet(3);
        channel.writeInbound(option(2, Unpooled.EMPTY_BUFFER));
        assertThat(replies()).extracting(OptionReply::type).containsExactly(NbdWire.REP_ACK);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void unknownClientFlagsClose() {
        greet(4);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void wrongOptionMagicCloses() {
        greet(3);
        channel.writeInbound(Unpooled.buffer().writeLong(0x1234).writeInt(3).writeInt(0));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void oversizedOptionClosesWithoutReadingIt() {
        greet(3);
        channel.writeInbound(Unpooled.buffer().writeLong(NbdWire.IHAVEOPT).writeInt(7).writeInt(0x7fffffff));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void exportNameForAnUnknownNameCloses() {
        greet(3);
        channel.writeInbound(option(1, Unpooled.copiedBuffer("nope", StandardCharsets.UTF_8)));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void exportNameSendsTheZeroesUnlessTheClientSaidNoZeroes() {
        greet(1);
        channel.writeInbound(option(1, Unpooled.copiedBuffer("vol-1", StandardCharsets.UTF_8)));
        ByteBuf reply = outbound(channel);
        assertThat(reply.readableBytes()).isEqualTo(8 + 2 + 124);
        assertThat(reply.readLong()).isEqualTo(1 << 20);
        assertThat(reply.readUnsignedShort()).isEqualTo(NbdWire.TRANSMISSION_FLAGS);
        reply.release();
        assertThat(channel.pipeline().get(NbdTransmissionHandler.class)).isNotNull();
        assertThat(channel.pipeline().get(NbdServerInitializer.HANDSHAKE)).isNull();
    }

    @Test
    void exportNameWithNoZeroesSendsSizeAndFlagsOnly() {
        greet(3);
        channel.writeInbound(option(1, Unpooled.copiedBuffer("vol-1", StandardCharsets.UTF_8)));
        ByteBuf reply = outbound(channel);
        assertThat(reply.readableBytes()).isEqualTo(10);
        reply.release();
    }

    @Test
    void requestsSentRightBehindGoReachTheTransmissionPhase() {
        greet(3);
        device.contents(0, 0);
        ByteBuf goAndRead = Unpooled.buffer().writeBytes(option(7, infoOrGoData("vol-1", NbdWire.INFO_BLOCK_SIZE)))
                .writeBytes(request(0, 0, 42, 0, 512));
        channel.writeInbound(goAndRead);
        channel.runPendingTasks();
        ByteBuf all = outbound(channel);
        // INFO_EXPORT (20 + 12), INFO_BLOCK_SIZE (20 + 14), ACK (20), then the read reply (16 + 512).
        all.skipBytes(32 + 34 + 20);
        assertThat(all.readInt()).isEqualTo(NbdWire.SIMPLE_REPLY_MAGIC);
        assertThat(all.readInt()).isZero();
        assertThat(all.readLong()).isEqualTo(42);
        assertThat(all.readableBytes()).isEqualTo(512);
        all.release();
    }
}

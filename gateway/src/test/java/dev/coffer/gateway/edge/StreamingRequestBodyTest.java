package dev.coffer.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamingRequestBodyTest {
    private final AtomicInteger resumed = new AtomicInteger();
    private final StreamingRequestBody body = new StreamingRequestBody(resumed::incrementAndGet);

    @Test
    void stopsAskingForChunksAtTheHighWaterMarkAndResumesBelowTheLowOne() throws IOException {
        int chunk = 64 * 1024;
        List<ByteBuf> offered = new ArrayList<>();
        boolean more = true;
        while (more) {
            ByteBuf buf = Unpooled.wrappedBuffer(new byte[chunk]);
            offered.add(buf);
            more = body.offer(buf, false);
        }
        assertThat(offered.size() * chunk).isEqualTo(StreamingRequestBody.HIGH_WATER_BYTES);
        byte[] sink = new byte[chunk];
        int drained = 0;
        while (resumed.get() == 0) {
            drained += body.read(sink, 0, sink.length);
        }
        assertThat(StreamingRequestBody.HIGH_WATER_BYTES - drained).isLessThanOrEqualTo(StreamingRequestBody.LOW_WATER_BYTES);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void readsEveryByteInOrderThenEnds() throws IOException {
        body.offer(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), false);
        body.offer(Unpooled.wrappedBuffer(new byte[] {4}), true);
        assertThat(body.readAllBytes()).containsExactly(1, 2, 3, 4);
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void releasesEveryBufferItTookWhetherReadDiscardedOrFailed() throws IOException {
        ByteBuf read = Unpooled.buffer().writeBytes(new byte[10]);
        ByteBuf discarded = Unpooled.buffer().writeBytes(new byte[10]);
        ByteBuf afterDiscard = Unpooled.buffer().writeBytes(new byte[10]);
        body.offer(read, false);
        body.read(new byte[10]);
        body.offer(discarded, false);
        body.discardRest();
        body.offer(afterDiscard, true);
        assertThat(List.of(read, discarded, afterDiscard)).allMatch(b -> b.refCnt() == 0);

        StreamingRequestBody failing = new StreamingRequestBody(() -> { });
        ByteBuf pending = Unpooled.buffer().writeBytes(new byte[10]);
        failing.offer(pending, false);
        failing.fail(new IOException("connection reset"));
        assertThat(pending.refCnt()).isZero();
        assertThatThrownBy(() -> failing.read(new byte[1])).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    void aBlockedReaderWakesWhenTheConnectionDrops() throws Exception {
        Thread reader = Thread.ofVirtual().start(() -> assertThatThrownBy(() -> body.read(new byte[1])).isInstanceOf(IOException.class));
        Thread.sleep(50);
        body.fail(new IOException("closed"));
        reader.join(5_000);
        assertThat(reader.isAlive()).isFalse();
    }
}

package dev.coffer.perf.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one NBD transmission-phase request frame (a 28-byte header; a WRITE's 4 KiB payload after
 * it) through Coffer's real decoder, {@code dev.coffer.blockstore.nbd.NbdRequestDecoder}, beside a
 * raw read of the same header fields (and, for the WRITE, a copy of the payload into an array) from
 * the same buffer.
 *
 * <p>The decoder is package-private, so it is made and called through method handles (resolved once,
 * held in static finals, which the JIT treats as direct calls): its {@code decode} is called on the
 * frame as Netty's {@link ByteToMessageDecoder} would call it, with the context of the
 * {@link EmbeddedChannel} it sits in, which supplies the pooled allocator its WRITE payload comes from.
 * Netty's pipeline around it is not measured. Frames are pooled direct buffers, as socket reads are.
 * A decoded WRITE's payload is released, as the transmission handler releases it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NbdDecodeBenchmark {
    static final int REQUEST_MAGIC = 0x25609513;
    static final int PAYLOAD_BYTES = 4096;
    private static final int READ = 0;
    private static final int WRITE = 1;

    private static final MethodHandle NEW_DECODER;
    private static final MethodHandle DECODE;
    private static final MethodHandle TYPE;
    private static final MethodHandle COOKIE;
    private static final MethodHandle OFFSET;
    private static final MethodHandle LENGTH;
    private static final MethodHandle PAYLOAD;

    static {
        try {
            Class<?> decoder = Class.forName("dev.coffer.blockstore.nbd.NbdRequestDecoder");
            Class<?> request = Class.forName("dev.coffer.blockstore.nbd.NbdRequest");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(decoder, MethodHandles.lookup());
            NEW_DECODER = lookup.findConstructor(decoder, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(ByteToMessageDecoder.class));
            DECODE = lookup.findVirtual(decoder, "decode",
                            MethodType.methodType(void.class, ChannelHandlerContext.class, ByteBuf.class, List.class))
                    .asType(MethodType.methodType(void.class, ByteToMessageDecoder.class, ChannelHandlerContext.class,
                            ByteBuf.class, List.class));
            TYPE = accessor(lookup, request, "type", int.class);
            COOKIE = accessor(lookup, request, "cookie", long.class);
            OFFSET = accessor(lookup, request, "offset", long.class);
            LENGTH = accessor(lookup, request, "length", long.class);
            PAYLOAD = accessor(lookup, request, "payload", ByteBuf.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static MethodHandle accessor(MethodHandles.Lookup lookup, Class<?> request, String name, Class<?> type)
            throws ReflectiveOperationException {
        return lookup.findVirtual(request, name, MethodType.methodType(type))
                .asType(MethodType.methodType(type, Object.class));
    }

    private EmbeddedChannel channel;
    private ByteToMessageDecoder decoder;
    private ChannelHandlerContext context;
    private final List<Object> out = new ArrayList<>(2);
    private ByteBuf readFrame;
    private ByteBuf writeFrame;
    private byte[] payload;
    private final byte[] payloadOut = new byte[PAYLOAD_BYTES];

    @Setup
    public void setUp() throws Throwable {
        decoder = (ByteToMessageDecoder) NEW_DECODER.invokeExact();
        channel = new EmbeddedChannel(decoder);
        context = channel.pipeline().context(decoder);
        payload = new byte[PAYLOAD_BYTES];
        new SplittableRandom(7).nextBytes(payload);
        readFrame = frame(READ, 0x1122334455667788L, 1L << 30, PAYLOAD_BYTES, null);
        writeFrame = frame(WRITE, 0x0102030405060708L, 5L << 20, PAYLOAD_BYTES, payload);
        check(decodeRead(), READ, 0x1122334455667788L, 1L << 30, null);
        check(decode(writeFrame), WRITE, 0x0102030405060708L, 5L << 20, payload);
        if (rawHeaderRead() != (0x1122334455667788L ^ (1L << 30) ^ PAYLOAD_BYTES ^ READ)
                || rawHeaderWrite4k() != (0x0102030405060708L ^ (5L << 20) ^ PAYLOAD_BYTES ^ WRITE ^ payload[PAYLOAD_BYTES - 1])
                || !Arrays.equals(payload, payloadOut)) {
            throw new IllegalStateException("the raw read did not return the frame's fields");
        }
        if (decodeWrite4k() == null) {
            throw new IllegalStateException("decodeWrite4k returned nothing");
        }
    }

    private static ByteBuf frame(int type, long cookie, long offset, int length, byte[] data) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(28 + (data == null ? 0 : data.length));
        b.writeInt(REQUEST_MAGIC).writeShort(0).writeShort(type).writeLong(cookie).writeLong(offset).writeInt(length);
        if (data != null) {
            b.writeBytes(data);
        }
        return b;
    }

    private static void check(Object request, int type, long cookie, long offset, byte[] data) throws Throwable {
        if (request == null || (int) TYPE.invokeExact(request) != type || (long) COOKIE.invokeExact(request) != cookie
                || (long) OFFSET.invokeExact(request) != offset || (long) LENGTH.invokeExact(request) != PAYLOAD_BYTES) {
            throw new IllegalStateException("the decoder returned " + request);
        }
        if (data != null) {
            ByteBuf payload = (ByteBuf) PAYLOAD.invokeExact(request);
            byte[] got = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), got);
            payload.release();
            if (!Arrays.equals(data, got)) {
                throw new IllegalStateException("the decoder's WRITE payload differs from the frame's");
            }
        }
    }

    @TearDown
    public void tearDown() {
        readFrame.release();
        writeFrame.release();
        channel.finishAndReleaseAll();
    }

    /** A READ request: the decoder reads its header and emits the request. */
    @Benchmark
    public Object decodeRead() throws Throwable {
        return decode(readFrame);
    }

    /** A WRITE request with 4 KiB: header, then the payload copied into a buffer of its own (released here). */
    @Benchmark
    public Object decodeWrite4k() throws Throwable {
        Object request = decode(writeFrame);
        ByteBuf data = (ByteBuf) PAYLOAD.invokeExact(request);
        data.release();
        return request;
    }

    private Object decode(ByteBuf frame) throws Throwable {
        frame.readerIndex(0);
        out.clear();
        DECODE.invokeExact(decoder, context, frame, out);
        if (out.size() != 1 || frame.isReadable()) {
            throw new IllegalStateException("the decoder left " + frame.readableBytes() + " bytes and emitted " + out);
        }
        return out.get(0);
    }

    /** The reference for a READ: the header's fields read straight from the buffer, magic checked. */
    @Benchmark
    public long rawHeaderRead() {
        return readHeader(readFrame.readerIndex(0));
    }

    /** The reference for a WRITE: the header's fields, then the payload copied into a preallocated array. */
    @Benchmark
    public long rawHeaderWrite4k() {
        ByteBuf in = writeFrame.readerIndex(0);
        long fields = readHeader(in);
        in.readBytes(payloadOut, 0, PAYLOAD_BYTES);
        return fields ^ payloadOut[PAYLOAD_BYTES - 1];
    }

    private static long readHeader(ByteBuf in) {
        if (in.readInt() != REQUEST_MAGIC) {
            throw new IllegalStateException("bad magic");
        }
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        long offset = in.readLong();
        long length = in.readUnsignedInt();
        return cookie ^ offset ^ length ^ type ^ flags;
    }
}

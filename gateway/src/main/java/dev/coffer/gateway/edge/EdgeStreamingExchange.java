package dev.coffer.gateway.edge;

import dev.coffer.auth.service.RequestHead;
import dev.coffer.auth.service.ResponseWriter;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.service.StreamingExchange;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A streaming exchange on one edge connection. The service's thread writes the response through the
 * channel (Netty hands writes from other threads to the event loop in order); when the response is
 * complete, {@code onResponseDone} tells the edge handler, on the event loop, whether the
 * connection can carry another request.
 */
final class EdgeStreamingExchange implements StreamingExchange {
    private final ChannelHandlerContext ctx;
    private final RequestHead head;
    private final StreamingRequestBody body;
    private final boolean keepAlive;
    private final Consumer<Boolean> onResponseDone;
    private volatile boolean responded;
    /** The response said "Connection: close", so the connection must not carry another request. */
    private volatile boolean closing;
    private EdgeResponseWriter writer;

    /**
     * @param onResponseDone runs on the event loop with whether the connection can carry another
     *     request: the response completed cleanly and told the client the connection stays open
     */
    EdgeStreamingExchange(ChannelHandlerContext ctx, RequestHead head, StreamingRequestBody body, boolean keepAlive,
                          Consumer<Boolean> onResponseDone) {
        this.ctx = ctx;
        this.head = head;
        this.body = body;
        this.keepAlive = keepAlive;
        this.onResponseDone = onResponseDone;
    }

    @Override
    public RequestHead head() {
        return head;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public boolean responded() {
        return responded;
    }

    @Override
    public void respond(ServiceResponse response) throws IOException {
        markResponded();
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        addHeaders(http.headers(), response.headers());
        boolean headWithLength = head.method().equals("HEAD") && http.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && response.body().length == 0;
        if (!headWithLength) {
            http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        }
        // Not awaited: the response is whole, and a failed write closes the connection (finished).
        ctx.writeAndFlush(http).addListener(f -> finished(f.isSuccess()));
    }

    @Override
    public ResponseWriter respond(int status, List<Map.Entry<String, String>> headers) throws IOException {
        markResponded();
        HttpResponse http = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        addHeaders(http.headers(), headers);
        if (!http.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            http.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ChannelFuture written = ctx.writeAndFlush(http);
        writer = new EdgeResponseWriter(ctx, this::finished);
        writer.awaitIfBusy(written);
        return writer;
    }

    /** Whether the connection is closed: whatever failed, the client is no longer there to answer. */
    boolean clientGone() {
        return !ctx.channel().isActive();
    }

    /** After a failure past the status line: the connection is dropped so the client cannot take a partial body for a whole one. */
    void abortIfStreaming() {
        if (writer != null) {
            writer.abort();
        } else {
            ctx.channel().close();
        }
    }

    private void markResponded() {
        if (responded) {
            throw new IllegalStateException("a response was already sent");
        }
        responded = true;
    }

    private void addHeaders(HttpHeaders target, List<Map.Entry<String, String>> headers) {
        headers.forEach(h -> target.add(h.getKey(), h.getValue()));
        EdgeResponses.addCommonHeaders(target);
        // A client still waiting for "100 Continue" is answered without sending the body it
        // announced, and the edge handler closes the connection (its next bytes might be that
        // body): the answer must say so, or the client reuses a connection that is going away.
        closing = !keepAlive || (body.awaitingContinue() && !body.ended());
        target.set(HttpHeaderNames.CONNECTION, closing ? HttpHeaderValues.CLOSE : HttpHeaderValues.KEEP_ALIVE);
    }

    private void finished(boolean success) {
        boolean reusable = success && !closing;
        ctx.executor().execute(() -> onResponseDone.accept(reusable));
    }

}

package dev.coffer.gateway.edge;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.RequestHead;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.service.StreamingProtocolService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request on the edge port to its protocol service. Reads on demand, one request per
 * connection at a time.
 *
 * <p>Buffered services (KMS, IAM, EC2): the body is accumulated only up to the service's limit
 * (beyond it, the service's own "too large" answer and the connection closes), then the service
 * runs on a worker thread and the response is written back on the event loop.
 *
 * <p>Streaming services (S3): the service starts on a virtual thread as soon as the head arrives and
 * reads the body through a {@link StreamingRequestBody} that this handler feeds with backpressure;
 * the service writes its response itself. The connection takes its next request once both the
 * response is written and the body has been read or discarded.
 *
 * <p>Buffers: buffered bodies are copied into a heap array and every inbound message released in
 * {@link #channelRead}; streamed chunks are retained and handed to the request body, which releases
 * them.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);
    /** A body left unread by an early answer is drained up to this much, so the client sees the answer; beyond it the connection closes. */
    static final long MAX_DISCARDED_BODY_BYTES = 8L * 1024 * 1024;

    private final EdgeRouter router;
    private final ExecutorService workers;
    private final boolean secure;

    /**
     * Only touched on the channel's event loop. A read request may be answered by a read-complete
     * without a message (FlowControlHandler's contract), so both flags ask again on channelReadComplete.
     */
    private boolean awaitingMessage;
    /** The streamed body wants its next chunk. */
    private boolean awaitingBodyChunk;
    private HttpRequest request;
    private ProtocolService service;
    private ByteArrayOutputStream body;
    private String requestId;
    private Instant receivedAt;
    private StreamingState streaming;
    /**
     * A buffered request's answer held back while the rest of its over-limit body is read and dropped
     * (at most {@link #MAX_DISCARDED_BODY_BYTES}): a client that writes its whole body before reading
     * (the JDK's HttpClient, most SDKs) would otherwise see the connection reset instead of the answer.
     */
    private ServiceResponse refusal;
    private long refusalDrained;

    /** The request being streamed to a streaming service (event loop only). */
    private static final class StreamingState {
        final StreamingRequestBody body;
        final boolean keepAlive;
        boolean bodyEnded;
        boolean responseDone;
        boolean responseOk;
        long discardedBytes;
        boolean discarding;

        StreamingState(StreamingRequestBody body, boolean keepAlive) {
            this.body = body;
            this.keepAlive = keepAlive;
        }
    }

    EdgeHandler(EdgeRouter router, ExecutorService workers, boolean secure) {
        this.router = router;
        this.workers = workers;
        this.secure = secure;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitMessage(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streaming != null) {
            streaming.body.fail(new IOException("the client closed the connection"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingMessage || awaitingBodyChunk) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        awaitingMessage = false;
        if (streaming != null && message instanceof HttpContent content) {
            onStreamedContent(ctx, content);
            return;
        }
        try {
            if (message instanceof HttpRequest head) {
                onHead(ctx, head);
            }
            if (message instanceof HttpContent content) {
                if (refusal != null) {
                    drainRefused(ctx, content);
                } else if (request != null) {
                    onContent(ctx, content);
                }
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest head) {
        requestId = UUID.randomUUID().toString();
        receivedAt = Instant.now();
        if (!head.decoderResult().isSuccess()) {
            Throwable cause = head.decoderResult().cause();
            boolean tooLarge = cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException;
            sendAndClose(ctx, router.unroutable().map(s -> s.malformedRequest(requestId, tooLarge))
                    .orElseGet(() -> plain(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request")));
            return;
        }
        Optional<EdgeRoute> routed = router.route(head);
        if (routed.isEmpty()) {
            sendAndClose(ctx, notServed(EdgeRouter.signingName(head)));
            return;
        }
        switch (routed.get()) {
            case EdgeRoute.Buffered buffered -> startBuffered(ctx, head, buffered.service());
            case EdgeRoute.Streaming stream -> startStreaming(ctx, head, stream.service());
        }
    }

    private void startBuffered(ChannelHandlerContext ctx, HttpRequest head, ProtocolService target) {
        service = target;
        long declared = HttpUtil.getContentLength(head, -1L);
        if (declared > service.maxRequestBodyBytes()) {
            ServiceResponse tooLarge = service.requestTooLarge(requestId);
            if (declared > MAX_DISCARDED_BODY_BYTES || HttpUtil.is100ContinueExpected(head)) {
                // Too much to drain, or a client that waits for 100 Continue and so sends no body.
                sendAndClose(ctx, tooLarge);
            } else {
                refuseAfterBody(ctx, head, tooLarge);
            }
            return;
        }
        request = head;
        body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(continueResponse());
        }
        if (!(head instanceof LastHttpContent)) {
            awaitMessage(ctx);
        }
    }

    private void startStreaming(ChannelHandlerContext ctx, HttpRequest head, StreamingProtocolService target) {
        // "100 Continue" only once the service reads the body: a request refused from its head
        // alone (bad signature, no such bucket) is answered before the client sends the body.
        Runnable sendContinue = HttpUtil.is100ContinueExpected(head) ? () -> ctx.writeAndFlush(continueResponse()) : null;
        StreamingRequestBody requestBody = new StreamingRequestBody(() -> ctx.executor().execute(() -> {
            if (streaming != null && !streaming.bodyEnded) {
                readBodyChunk(ctx);
            }
        }), sendContinue);
        StreamingState state = new StreamingState(requestBody, HttpUtil.isKeepAlive(head));
        streaming = state;
        RequestHead requestHead = new RequestHead(requestId, head.method().name(), rawPath(head.uri()), rawQuery(head.uri()),
                headerList(head), remoteAddress(ctx), secure, receivedAt);
        EdgeStreamingExchange exchange = new EdgeStreamingExchange(ctx, requestHead, requestBody, state.keepAlive,
                ok -> onStreamedResponseDone(ctx, state, ok));
        if (head instanceof LastHttpContent) {
            state.bodyEnded = true;
            requestBody.offer(io.netty.buffer.Unpooled.EMPTY_BUFFER, true);
        }
        Thread.ofVirtual().name("coffer-" + target.signingName() + "-" + requestId).start(
                () -> runStreaming(target, exchange));
        if (!state.bodyEnded) {
            readBodyChunk(ctx);
        }
    }

    private void readBodyChunk(ChannelHandlerContext ctx) {
        awaitingBodyChunk = true;
        ctx.read();
    }

    private static void runStreaming(StreamingProtocolService target, EdgeStreamingExchange exchange) {
        String id = exchange.head().requestId();
        try {
            target.handle(exchange);
            if (!exchange.responded()) {
                LOG.error("{} request {} ended without a response", target.signingName(), id);
                exchange.respond(target.internalError(id));
            }
        } catch (Exception | Error e) {
            if (exchange.clientGone()) {
                // The client hung up mid-request: routine for aborted downloads, nothing to answer.
                LOG.debug("{} request {}: the client went away", target.signingName(), id, e);
                exchange.abortIfStreaming();
                return;
            }
            if (exchange.responded()) {
                LOG.warn("{} request {} failed after its response started", target.signingName(), id, e);
                exchange.abortIfStreaming();
                return;
            }
            LOG.error("{} request {} failed", target.signingName(), id, e);
            try {
                exchange.respond(target.internalError(id));
            } catch (IOException | RuntimeException ignored) {
                exchange.abortIfStreaming();
            }
        }
    }

    private void onStreamedContent(ChannelHandlerContext ctx, HttpContent content) {
        awaitingBodyChunk = false;
        StreamingState state = streaming;
        boolean last = content instanceof LastHttpContent;
        if (last) {
            state.bodyEnded = true;
        }
        if (state.discarding) {
            state.discardedBytes += content.content().readableBytes();
            content.release();
            if (state.discardedBytes > MAX_DISCARDED_BODY_BYTES) {
                ctx.close();
                return;
            }
            if (last) {
                finishStreamed(ctx, state);
            } else {
                readBodyChunk(ctx);
            }
            return;
        }
        boolean readMore = state.body.offer(content.content(), last);
        if (readMore) {
            readBodyChunk(ctx);
        }
    }

    private void onStreamedResponseDone(ChannelHandlerContext ctx, StreamingState state, boolean ok) {
        if (streaming != state || state.responseDone) {
            return;
        }
        state.responseDone = true;
        state.responseOk = ok;
        // A client still waiting for "100 Continue" may never send the body it announced: the
        // connection cannot be reused, as its next bytes might be that body or the next request.
        if (!ok || !state.keepAlive || (!state.bodyEnded && state.body.awaitingContinue())) {
            state.body.discardRest();
            streaming = null;
            awaitingBodyChunk = false;
            ctx.close();
            return;
        }
        if (state.bodyEnded) {
            // The whole body arrived; whatever of it the service did not read is released here.
            state.body.discardRest();
            finishStreamed(ctx, state);
            return;
        }
        state.discarding = true;
        boolean wasPaused = state.body.discardRest();
        if (wasPaused) {
            readBodyChunk(ctx);
        }
    }

    private void finishStreamed(ChannelHandlerContext ctx, StreamingState state) {
        if (!state.responseDone) {
            return;
        }
        streaming = null;
        awaitingBodyChunk = false;
        awaitMessage(ctx);
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf bytes = content.content();
        if (body.size() + bytes.readableBytes() > service.maxRequestBodyBytes()) {
            ServiceResponse tooLarge = service.requestTooLarge(requestId);
            refusalDrained = body.size();
            reset();
            refusal = tooLarge;
            drainRefused(ctx, content);
            return;
        }
        byte[] chunk = new byte[bytes.readableBytes()];
        bytes.readBytes(chunk);
        body.writeBytes(chunk);
        if (content instanceof LastHttpContent) {
            dispatch(ctx);
        } else {
            awaitMessage(ctx);
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        HttpRequest head = request;
        ProtocolService target = service;
        String rawUri = head.uri();
        ServiceRequest serviceRequest = new ServiceRequest(requestId, head.method().name(), rawPath(rawUri), rawQuery(rawUri),
                headerList(head), body.toByteArray(), remoteAddress(ctx), secure, receivedAt);
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        reset();
        CompletableFuture<ServiceResponse> future;
        try {
            future = CompletableFuture.supplyAsync(() -> target.handle(serviceRequest), workers)
                    .orTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            sendAndClose(ctx, target.internalError(serviceRequest.requestId()));
            return;
        }
        future.whenComplete((response, failure) -> ctx.executor().execute(() -> {
            ServiceResponse out = response;
            if (failure != null) {
                LOG.error("{} request {} failed", target.signingName(), serviceRequest.requestId(), failure);
                out = target.internalError(serviceRequest.requestId());
            }
            send(ctx, out, keepAlive);
        }));
    }

    private static InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address : null;
    }

    private static FullHttpResponse continueResponse() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    }

    private static String rawPath(String rawUri) {
        int q = rawUri.indexOf('?');
        return q < 0 ? rawUri : rawUri.substring(0, q);
    }

    private static String rawQuery(String rawUri) {
        int q = rawUri.indexOf('?');
        return q < 0 ? "" : rawUri.substring(q + 1);
    }

    private static List<Map.Entry<String, String>> headerList(HttpRequest head) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        head.headers().forEach(headers::add);
        return headers;
    }

    private void send(ChannelHandlerContext ctx, ServiceResponse response, boolean keepAlive) {
        FullHttpResponse http = toHttp(response);
        if (keepAlive) {
            if (!http.protocolVersion().isKeepAliveDefault()) {
                http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(http).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    awaitMessage(ctx);
                } else {
                    ctx.close();
                }
            });
        } else {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Holds {@code response} back until the rest of the body has been read and dropped (see {@link #refusal}). */
    private void refuseAfterBody(ChannelHandlerContext ctx, HttpRequest head, ServiceResponse response) {
        reset();
        refusal = response;
        refusalDrained = 0;
        if (!(head instanceof HttpContent)) {
            awaitMessage(ctx);
        }
    }

    /** Drops one chunk of a refused body; answers once the body ended, or closes once too much of it came. */
    private void drainRefused(ChannelHandlerContext ctx, HttpContent content) {
        refusalDrained += content.content().readableBytes();
        if (content instanceof LastHttpContent || refusalDrained > MAX_DISCARDED_BODY_BYTES) {
            ServiceResponse response = refusal;
            refusal = null;
            sendAndClose(ctx, response);
        } else {
            awaitMessage(ctx);
        }
    }

    private void sendAndClose(ChannelHandlerContext ctx, ServiceResponse response) {
        send(ctx, response, false);
    }

    private static FullHttpResponse toHttp(ServiceResponse response) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(h -> http.headers().add(h.getKey(), h.getValue()));
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        EdgeResponses.addCommonHeaders(http.headers());
        return http;
    }
    /** A protocol this gateway does not run (not built yet, or left out by --services), in its own error format. */
    private ServiceResponse notServed(String signingName) {
        String message = "The " + signingName + " API is not served by this Coffer gateway.";
        if (signingName.equals("kms")) {
            return ServiceResponse.of(501, "application/x-amz-json-1.1",
                    "{\"__type\":\"UnsupportedOperationException\",\"message\":\"" + message + "\"}");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NotImplemented</Code><Message>" + message
                + "</Message><RequestId>" + requestId + "</RequestId></Error>";
        return new ServiceResponse(501, List.of(Map.entry("Content-Type", "application/xml"),
                Map.entry("x-amz-request-id", requestId)), xml.getBytes(StandardCharsets.UTF_8));
    }

    private static ServiceResponse plain(HttpResponseStatus status, String text) {
        return ServiceResponse.of(status.code(), "text/plain; charset=utf-8", text);
    }

    private void awaitMessage(ChannelHandlerContext ctx) {
        awaitingMessage = true;
        ctx.read();
    }

    private void reset() {
        request = null;
        service = null;
        body = null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("edge connection failed", cause);
        ctx.close();
    }
}

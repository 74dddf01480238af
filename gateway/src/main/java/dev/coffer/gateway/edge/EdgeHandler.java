package dev.coffer.gateway.edge;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
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
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
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
 * Hands each request on the edge port to its protocol service. Reads on demand: one request per
 * connection at a time, its body accumulated only up to the service's limit (beyond it, the
 * service's own "too large" answer and the connection closes), then the service runs on a worker
 * thread and the response is written back on the event loop.
 *
 * <p>Buffers: every inbound message is released in {@link #channelRead} after its bytes are copied
 * into the request's heap array; each response wraps a fresh heap array and the pipeline releases it
 * once written.
 */
final class EdgeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHandler.class);

    private final EdgeRouter router;
    private final ExecutorService workers;
    private final boolean secure;

    /** Only touched on the channel's event loop. */
    private boolean awaitingMessage;
    private HttpRequest request;
    private ProtocolService service;
    private ByteArrayOutputStream body;
    private String requestId;
    private Instant receivedAt;

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
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingMessage) {
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
        try {
            if (message instanceof HttpRequest head) {
                onHead(ctx, head);
            }
            if (message instanceof HttpContent content && request != null) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest head) {
        requestId = UUID.randomUUID().toString();
        receivedAt = Instant.now();
        if (!head.decoderResult().isSuccess()) {
            sendAndClose(ctx, plain(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        Optional<ProtocolService> routed = router.route(head);
        if (routed.isEmpty()) {
            sendAndClose(ctx, notServed(EdgeRouter.signingName(head)));
            return;
        }
        service = routed.get();
        long declared = HttpUtil.getContentLength(head, -1L);
        if (declared > service.maxRequestBodyBytes()) {
            sendAndClose(ctx, service.requestTooLarge(requestId));
            return;
        }
        request = head;
        body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        if (!(head instanceof LastHttpContent)) {
            awaitMessage(ctx);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf bytes = content.content();
        if (body.size() + bytes.readableBytes() > service.maxRequestBodyBytes()) {
            ServiceResponse tooLarge = service.requestTooLarge(requestId);
            reset();
            sendAndClose(ctx, tooLarge);
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
        int q = rawUri.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        head.headers().forEach(headers::add);
        ServiceRequest serviceRequest = new ServiceRequest(requestId, head.method().name(),
                q < 0 ? rawUri : rawUri.substring(0, q), q < 0 ? "" : rawUri.substring(q + 1), headers, body.toByteArray(),
                (InetSocketAddress) ctx.channel().remoteAddress(), secure, receivedAt);
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

    private void sendAndClose(ChannelHandlerContext ctx, ServiceResponse response) {
        send(ctx, response, false);
    }

    private static FullHttpResponse toHttp(ServiceResponse response) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach(h -> http.headers().add(h.getKey(), h.getValue()));
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        http.headers().set(HttpHeaderNames.SERVER, "Coffer");
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

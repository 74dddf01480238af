package dev.coffer.gateway.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes admin requests to their endpoints, which run on an executor so nothing blocks the event loop.
 *
 * <p>Flow: the channel reads on demand. This handler asks for a request when the connection opens
 * and after each response is written, so a connection has at most one request in flight and
 * responses leave in request order, though endpoints answer on another thread. A {@code read()}
 * only lasts one read cycle (FlowControlHandler forgets unmet demand at {@code channelReadComplete}),
 * so while waiting for a request the handler asks again at the end of every cycle.
 *
 * <p>Buffers: the inbound {@link FullHttpRequest} is released by {@link SimpleChannelInboundHandler}
 * when {@link #channelRead0} returns; nothing of it that is reference-counted is kept. Each response
 * wraps a fresh heap array and is released by the pipeline once written.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRoutes routes;
    private final Executor endpointExecutor;
    /** Between a response and the next request. Only touched on the channel's event loop. */
    private boolean awaitingRequest;

    AdminHandler(AdminRoutes routes, Executor endpointExecutor) {
        this.routes = routes;
        this.endpointExecutor = endpointExecutor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingRequest) {
            // The cycle ended without a whole request (or our read() came during it): ask again.
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void awaitRequest(ChannelHandlerContext ctx) {
        awaitingRequest = true;
        ctx.read();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        awaitingRequest = false;
        if (!request.decoderResult().isSuccess()) {
            send(ctx, AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request"), false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        String path = new QueryStringDecoder(request.uri()).path();
        Optional<AdminEndpoint> endpoint = routes.find(path);
        if (endpoint.isEmpty()) {
            send(ctx, AdminResponse.text(HttpResponseStatus.NOT_FOUND, "not found"), keepAlive, head);
        } else if (!head && !HttpMethod.GET.equals(request.method())) {
            send(ctx, AdminResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method not allowed; use " + AdminRoutes.ALLOWED_METHODS), keepAlive, false);
        } else {
            respondOffLoop(ctx, endpoint.get(), path, keepAlive, head);
        }
    }

    private void respondOffLoop(ChannelHandlerContext ctx, AdminEndpoint endpoint, String path,
                                boolean keepAlive, boolean head) {
        try {
            endpointExecutor.execute(() -> send(ctx, respond(endpoint, path), keepAlive, head));
        } catch (RejectedExecutionException e) {
            // Only while stopping: the executor is shut down before the event loops.
            send(ctx, AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "stopping"), false, head);
        }
    }

    private static AdminResponse respond(AdminEndpoint endpoint, String path) {
        try {
            return endpoint.respond();
        } catch (RuntimeException e) {
            log.warn("admin endpoint {} failed", path, e);
            return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /**
     * Writes a response; safe from any thread, as Netty moves the write onto the channel's loop.
     * A HEAD response carries the Content-Length of the GET response but no body.
     */
    private void send(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive, boolean head) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            response.headers().set(HttpHeaderNames.ALLOW, AdminRoutes.ALLOWED_METHODS);
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(keepAlive
                ? (ChannelFutureListener) written -> readNextOrClose(ctx, written.isSuccess())
                : ChannelFutureListener.CLOSE);
    }

    /** Runs on the event loop, as every listener of a channel's future does. */
    private void readNextOrClose(ChannelHandlerContext ctx, boolean written) {
        if (written) {
            awaitRequest(ctx);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // Peers resetting connections is normal on any server port; not worth a warning.
            log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        } else {
            log.warn("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}

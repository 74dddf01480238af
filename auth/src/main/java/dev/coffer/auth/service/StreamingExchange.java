package dev.coffer.auth.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One request/response exchange with a streaming service, as the edge hands it over. Used by one
 * thread at a time.
 */
public interface StreamingExchange {
    RequestHead head();

    /**
     * The request body as it comes off the wire (still aws-chunked if the client sent it so). Reads
     * block until bytes arrive; the edge reads from the socket only while little is buffered here.
     * Ends at the end of the body. Whatever the handler leaves unread is discarded by the edge.
     */
    InputStream body();

    /** Sends a complete response. For a HEAD request, a Content-Length header given here is kept and no body sent. */
    void respond(ServiceResponse response) throws IOException;

    /**
     * Starts a streamed response. {@code headers} should carry Content-Length; without it the body is
     * sent chunked. The writer must be closed to finish the response.
     */
    ResponseWriter respond(int status, List<Map.Entry<String, String>> headers) throws IOException;

    /** Whether a response has been started. */
    boolean responded();
}

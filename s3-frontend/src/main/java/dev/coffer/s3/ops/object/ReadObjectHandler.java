package dev.coffer.s3.ops.object;

import dev.coffer.auth.service.BodyBuffer;
import dev.coffer.auth.service.ResponseWriter;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.engine.DataExtent;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.PartInfo;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.CustomerKey;
import dev.coffer.s3.sse.ObjectPlaintext;
import dev.coffer.s3.sse.SseHeaders;
import dev.coffer.s3.sse.SseMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GetObject and HeadObject: preconditions, one byte range or one part (partNumber), the stored
 * headers with response-* overrides, checksums under x-amz-checksum-mode, then (GET) the bytes:
 * file extents go out zero-copy, inline ones from memory. The object is opened once, so a
 * concurrent overwrite or delete never mixes two versions into one answer.
 */
public final class ReadObjectHandler implements S3Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ReadObjectHandler.class);
    /**
     * What a decrypted body reads before its status line goes out: enough to verify the first
     * segment (64 KiB by default), little enough that copying it into the transport costs little.
     */
    private static final int FIRST_CHUNK_BYTES = 64 * 1024;
    /** The size of each buffer a decrypted body is written into after the first: a few segments. */
    private static final int CHUNK_BYTES = 256 * 1024;
    /** Bodies up to this size are sent with their head in one response (the engine's inline objects fit). */
    private static final long WHOLE_RESPONSE_BYTES = 128 * 1024;

    private final boolean head;

    private ReadObjectHandler(boolean head) {
        this.head = head;
    }

    public static ReadObjectHandler get() {
        return new ReadObjectHandler(false);
    }

    public static ReadObjectHandler head() {
        return new ReadObjectHandler(true);
    }

    @Override
    public void handle(S3Call call) throws Exception {
        SseHeaders.refuseWriteOnlyHeaders(call.request());
        Optional<ObjectHandle> opened = call.store().open(call.bucket().name(), call.request().key());
        if (opened.isEmpty()) {
            throw noSuchKey(call);
        }
        try (ObjectHandle handle = opened.get();
             CustomerKey customerKey = SseHeaders.customerKey(call.request(), call.config().sseCOverPlainHttp()).orElse(null)) {
            ObjectRecord record = handle.record();
            // The SSE-C rules (key present, right key, no key for other objects) come before anything
            // else, HEAD included; a KMS data key is unwrapped only once a GET is sure to send bytes.
            SecretBytes dataKey = isSseC(record) || customerKey != null
                    ? ObjectSse.readKey(call, call.bucket().name(), record.key(), record.attributes(),
                            Optional.ofNullable(customerKey)).orElse(null)
                    : null;
            try {
                serve(call, handle, record, dataKey, customerKey);
            } finally {
                if (dataKey != null) {
                    dataKey.destroy();
                }
            }
        }
    }

    private static boolean isSseC(ObjectRecord record) {
        byte[] envelope = record.attributes().envelope();
        return envelope != null && ObjectSse.envelope(envelope).mode() == SseMode.SSE_C;
    }

    /** @param dataKey the SSE-C object's key, already checked; null for other objects */
    private void serve(S3Call call, ObjectHandle handle, ObjectRecord record, SecretBytes dataKey, CustomerKey customerKey)
            throws Exception {
        Preconditions.check(call.request()::header, record.etag(), record.lastModified(), false);
        long size = record.size();
        ByteRange range = selectRange(call, record);
        List<Map.Entry<String, String>> headers = ObjectHeaders.forRecord(record, call.request(), !call.caller().isAnonymous());
        headers.addAll(ObjectSse.responseHeaders(record.attributes(), record.bucket(), record.key(),
                customerKey == null ? null : customerKey.keyMd5(), false));
        int status = 200;
        if (range != null) {
            // An empty part has no Content-Range to describe it (so no 206): its answer is 200 with no bytes.
            if (range.length() > 0) {
                status = 206;
                headers.add(Map.entry("Content-Range", range.contentRange(size)));
            }
        } else if ("ENABLED".equalsIgnoreCase(call.request().header("x-amz-checksum-mode"))) {
            addChecksums(record, headers);
        }
        long first = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        headers.add(Map.entry("Content-Length", Long.toString(length)));
        if (head) {
            call.respondEmpty(status, headers);
            return;
        }
        if (record.attributes().envelope() != null) {
            if (dataKey != null) {
                sendDecrypted(call, status, headers, handle, dataKey, first, length);
                return;
            }
            try (SecretBytes kmsKey = ObjectSse.readKey(call, call.bucket().name(), record.key(), record.attributes(),
                    Optional.empty()).orElseThrow()) {
                sendDecrypted(call, status, headers, handle, kmsKey, first, length);
            }
            return;
        }
        if (length <= WHOLE_RESPONSE_BYTES) {
            // One write for head and body: a streamed answer costs the event loop three hand-offs.
            byte[] body;
            try (InputStream in = handle.openStream(first, length)) {
                body = in.readNBytes((int) length);
            }
            if (body.length != length) {
                throw new IOException("object data is shorter than its recorded size");
            }
            call.respondBytes(status, headers, body);
            return;
        }
        ResponseWriter out = call.respondStreaming(status, headers);
        try {
            send(handle.extents(), first, length, out);
        } catch (Exception e) {
            out.abort();
            throw e;
        }
        out.close();
    }

    /**
     * Decrypts and sends an encrypted object's range. The first segment is read and verified before
     * the status line goes out, so an object whose stored bytes were altered answers with an error
     * rather than a truncated 200; a failure later can only cut the body short, never send bytes
     * that failed to verify. After the first chunk, each segment is decrypted straight into a buffer
     * lent by the writer, which sends it from there (no copy of the plaintext on the way).
     */
    private static void sendDecrypted(S3Call call, int status, List<Map.Entry<String, String>> headers, ObjectHandle handle,
                                      SecretBytes dataKey, long first, long length) throws Exception {
        try (InputStream plaintext = ObjectPlaintext.open(handle, dataKey, first, length)) {
            if (length <= WHOLE_RESPONSE_BYTES) {
                byte[] body;
                try {
                    body = plaintext.readNBytes((int) length);
                    if (body.length != length) {
                        throw new IOException("decrypted " + body.length + " of " + length + " bytes");
                    }
                } catch (IOException e) {
                    throw unreadable(call, e);
                }
                call.respondBytes(status, headers, body);
                return;
            }
            byte[] head = new byte[FIRST_CHUNK_BYTES];
            int filled;
            try {
                filled = plaintext.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                throw unreadable(call, e);
            }
            ResponseWriter out = call.respondStreaming(status, headers);
            try {
                out.write(head, 0, filled);
                long sent = filled;
                while (sent < length) {
                    try (BodyBuffer chunk = out.lend((int) Math.min(CHUNK_BYTES, length - sent))) {
                        int n = plaintext.readNBytes(chunk.array(), chunk.offset(), chunk.capacity());
                        if (n == 0) {
                            break;
                        }
                        out.write(chunk, n);
                        sent += n;
                    }
                }
                if (sent != length) {
                    throw new IOException("decrypted " + sent + " of " + length + " bytes");
                }
            } catch (Exception e) {
                LOG.warn("GET {}/{} stopped: stored ciphertext did not verify or could not be read (request {}): {}",
                        call.bucket().name(), call.request().key(), call.requestId(), e.toString());
                out.abort();
                return;
            }
            out.close();
        }
    }

    private static S3Exception unreadable(S3Call call, IOException e) {
        LOG.warn("GET {}/{} refused: stored ciphertext did not verify (request {}): {}", call.bucket().name(),
                call.request().key(), call.requestId(), e.toString());
        return new S3Exception(S3Error.INTERNAL_ERROR, "The object's stored data failed its integrity check; nothing was returned.");
    }

    /**
     * NoSuchKey only for a caller who may list the bucket: anyone else gets AccessDenied, as from
     * AWS, so that being allowed to read some keys does not tell which other keys exist.
     */
    private static S3Exception noSuchKey(S3Call call) {
        try {
            call.authorizer().authorize(call.caller(), "s3:ListBucket", "arn:aws:s3:::" + call.bucket().name(),
                    call.bucket().ownerAccountId(), call.bucket().configurations().get(S3Calls.POLICY), call.request().head(),
                    Map.of());
        } catch (S3Exception mayNotList) {
            return mayNotList;
        }
        return new S3Exception(S3Error.NO_SUCH_KEY).with("Key", call.request().key());
    }

    private static ByteRange selectRange(S3Call call, ObjectRecord record) {
        String partNumber = call.request().param("partNumber");
        if (partNumber == null) {
            return ByteRange.parse(call.request().header("Range"), record.size()).orElse(null);
        }
        int number = PartNumbers.parse(partNumber);
        if (record.parts().isEmpty()) {
            if (number != 1) {
                throw new S3Exception(S3Error.INVALID_PART_NUMBER).with("PartNumberRequested", partNumber)
                        .with("ActualPartCount", "1");
            }
            return null;
        }
        if (number > record.parts().size()) {
            throw new S3Exception(S3Error.INVALID_PART_NUMBER).with("PartNumberRequested", partNumber)
                    .with("ActualPartCount", Integer.toString(record.parts().size()));
        }
        long offset = 0;
        for (int i = 0; i < number - 1; i++) {
            offset += record.parts().get(i).size();
        }
        PartInfo part = record.parts().get(number - 1);
        // An empty (last) part is an empty range at its offset, never "no range", which means the whole object.
        return new ByteRange(offset, offset + part.size() - 1);
    }

    private static void addChecksums(ObjectRecord record, List<Map.Entry<String, String>> headers) {
        record.attributes().checksums().forEach((algorithm, value) ->
                headers.add(Map.entry("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT), value)));
        if (record.attributes().checksumType() != null && !record.attributes().checksums().isEmpty()) {
            headers.add(Map.entry("x-amz-checksum-type", record.attributes().checksumType()));
        }
    }

    /** Sends {@code length} logical bytes from {@code first}, walking the extents in order. */
    static void send(List<DataExtent> extents, long first, long length, ResponseWriter out) throws Exception {
        long skip = first;
        long remaining = length;
        for (DataExtent extent : extents) {
            if (remaining == 0) {
                break;
            }
            long extentLength = extent.length();
            if (skip >= extentLength) {
                skip -= extentLength;
                continue;
            }
            long n = Math.min(extentLength - skip, remaining);
            switch (extent) {
                case DataExtent.Inline inline -> out.write(inline.bytes(), (int) skip, (int) n);
                case DataExtent.FileExtent file -> out.transferFrom(file.channel(), file.position() + skip, n);
            }
            remaining -= n;
            skip = 0;
        }
        if (remaining != 0) {
            throw new IllegalStateException("object data is shorter than its recorded size");
        }
    }
}

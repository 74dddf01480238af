package dev.coffer.auth.sigv4;

import dev.coffer.auth.sigv4.AwsChunkedException.Kind;
import dev.coffer.auth.sigv4.AwsChunkedFraming.ChunkHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes an S3 aws-chunked body into the object's bytes, verifying it as it goes (docs/S3-PAYLOADS.md).
 *
 * <p>Data is handed to the reader as it arrives, never buffered a chunk at a time; each signed chunk's
 * SHA-256 is updated on the way, and its signature is checked when its data ends, before any byte of
 * the next chunk is returned. So a reader may hold bytes of a chunk whose signature later fails: it
 * must treat nothing as final until {@link #read} has returned -1, which it does only after every
 * signature, the trailer, the decoded length and the end of the body checked out. Any failure is an
 * {@link AwsChunkedException}, and the stream stays failed.
 *
 * <p>Memory is bounded: one {@value #READ_BUFFER_BYTES}-byte read buffer, header and trailer lines of
 * at most {@value #MAX_LINE_BYTES} bytes, at most {@value #MAX_TRAILER_LINES} trailer lines.
 *
 * <p>{@code in} must end where the body ends (a Content-Length-bounded stream): bytes after the final
 * chunk are refused, and the read buffer may read ahead up to the end of {@code in}. Not thread-safe.
 */
public final class AwsChunkedInputStream extends InputStream {
    /** The longest chunk header or trailer line, without its CRLF. */
    public static final int MAX_LINE_BYTES = 4096;
    /** The most trailing header lines, the signature included. */
    public static final int MAX_TRAILER_LINES = 16;
    static final int READ_BUFFER_BYTES = 8192;

    private enum State { CHUNK_HEADER, CHUNK_DATA, DONE, FAILED }

    private final InputStream in;
    private final StreamingPayloadMode mode;
    private final ChunkSignatureChain chain;
    private final MessageDigest chunkSha256;
    private final long declaredDecodedLengthBytes;
    private final byte[] buffer = new byte[READ_BUFFER_BYTES];
    private final byte[] lineBytes = new byte[MAX_LINE_BYTES];
    private final byte[] oneByte = new byte[1];
    private int bufferPosition;
    private int bufferLimit;
    private State state = State.CHUNK_HEADER;
    private long chunkRemainingBytes;
    private String chunkSignature;
    private long chunkIndex;
    private long decodedBytes;
    private Map<String, String> trailers = Map.of();
    private AwsChunkedException failure;

    /**
     * @param in the raw body, ending where the request body ends
     * @param mode a chunked mode ({@link StreamingPayloadMode#chunked()})
     * @param signing the request's signing context for modes with signed chunks; null for
     *     {@link StreamingPayloadMode#STREAMING_UNSIGNED_TRAILER}
     * @param declaredDecodedLengthBytes the request's {@code x-amz-decoded-content-length}
     */
    public AwsChunkedInputStream(InputStream in, StreamingPayloadMode mode, ChunkSigningContext signing,
                                 long declaredDecodedLengthBytes) {
        this.in = Objects.requireNonNull(in, "in");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (!mode.chunked()) {
            throw new IllegalArgumentException(mode + " is not an aws-chunked mode");
        }
        if (mode.signedChunks() != (signing != null)) {
            throw new IllegalArgumentException(mode + (mode.signedChunks()
                    ? " needs a signing context" : " has unsigned chunks and takes no signing context"));
        }
        if (declaredDecodedLengthBytes < 0) {
            throw new IllegalArgumentException("the declared decoded length must not be negative");
        }
        this.declaredDecodedLengthBytes = declaredDecodedLengthBytes;
        this.chain = signing == null ? null : new ChunkSignatureChain(signing);
        this.chunkSha256 = signing == null ? null : sha256();
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(oneByte, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : oneByte[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try {
            return readDecoded(b, off, len);
        } catch (AwsChunkedException e) {
            fail(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            fail(new AwsChunkedException(Kind.INCOMPLETE_BODY, "reading the request body failed"));
            throw e;
        }
    }

    /** Bytes of the current chunk that can be read without blocking. */
    @Override
    public int available() {
        return state == State.CHUNK_DATA ? (int) Math.min(chunkRemainingBytes, bufferLimit - bufferPosition) : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * The trailing headers by lower-case name, without {@code x-amz-trailer-signature}; empty for a mode
     * without trailers. Signed by the chain in {@link StreamingPayloadMode#STREAMING_SIGNED_TRAILER},
     * unauthenticated in {@link StreamingPayloadMode#STREAMING_UNSIGNED_TRAILER}.
     *
     * @throws IllegalStateException before {@link #read} returned -1
     */
    public Map<String, String> trailers() {
        if (state != State.DONE) {
            throw new IllegalStateException("the trailers are known only once the body was read to its end");
        }
        return trailers;
    }

    private int readDecoded(byte[] b, int off, int len) throws IOException {
        while (true) {
            switch (state) {
                case FAILED -> throw new AwsChunkedException(failure.kind(), failure.getMessage());
                case DONE -> {
                    return -1;
                }
                case CHUNK_HEADER -> startChunk();
                case CHUNK_DATA -> {
                    if (chunkRemainingBytes > 0) {
                        return readChunkData(b, off, len);
                    }
                    endChunk();
                }
            }
        }
    }

    private void startChunk() throws IOException {
        ChunkHeader header = AwsChunkedFraming.parseChunkHeader(readLine(), mode.signedChunks());
        if (header.sizeBytes() > declaredDecodedLengthBytes - decodedBytes) {
            throw new AwsChunkedException(Kind.DECODED_LENGTH_MISMATCH,
                    "the chunks add up to more than the declared x-amz-decoded-content-length of "
                            + declaredDecodedLengthBytes + " bytes");
        }
        if (header.sizeBytes() == 0) {
            finishBody(header.signature());
            return;
        }
        chunkRemainingBytes = header.sizeBytes();
        chunkSignature = header.signature();
        state = State.CHUNK_DATA;
    }

    private int readChunkData(byte[] b, int off, int len) throws IOException {
        int want = (int) Math.min(len, chunkRemainingBytes);
        int n;
        if (bufferPosition < bufferLimit) {
            n = Math.min(want, bufferLimit - bufferPosition);
            System.arraycopy(buffer, bufferPosition, b, off, n);
            bufferPosition += n;
        } else {
            // Large reads go straight from the wire into the caller's array, without a copy.
            n = in.read(b, off, want);
            if (n < 0) {
                throw incomplete();
            }
        }
        if (chunkSha256 != null) {
            chunkSha256.update(b, off, n);
        }
        chunkRemainingBytes -= n;
        decodedBytes += n;
        return n;
    }

    private void endChunk() throws IOException {
        if (nextByte() != '\r' || nextByte() != '\n') {
            throw AwsChunkedFraming.malformed("chunk " + chunkIndex + " is not followed by CRLF");
        }
        if (chain != null) {
            chain.verifyChunk(chunkSha256.digest(), chunkSignature, chunkIndex);
        }
        chunkIndex++;
        state = State.CHUNK_HEADER;
    }

    /** After the 0-size chunk: its signature, the decoded length, the trailer, then the end of the body. */
    private void finishBody(String finalChunkSignature) throws IOException {
        if (chain != null) {
            chain.verifyChunk(chunkSha256.digest(), finalChunkSignature, chunkIndex);
        }
        if (decodedBytes != declaredDecodedLengthBytes) {
            throw new AwsChunkedException(Kind.DECODED_LENGTH_MISMATCH, "the chunks add up to " + decodedBytes
                    + " bytes, not the declared x-amz-decoded-content-length of " + declaredDecodedLengthBytes);
        }
        Map<String, String> found = readTrailerSection();
        if (bufferPosition < bufferLimit || in.read() != -1) {
            throw AwsChunkedFraming.malformed("data follows the final chunk");
        }
        trailers = Map.copyOf(found);
        state = State.DONE;
    }

    private Map<String, String> readTrailerSection() throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        String signature = null;
        int lines = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            if (!mode.trailer()) {
                throw AwsChunkedFraming.malformed(mode.headerValue() + " has no trailing headers");
            }
            if (++lines > MAX_TRAILER_LINES) {
                throw AwsChunkedFraming.malformed("more than " + MAX_TRAILER_LINES + " trailing header lines");
            }
            if (signature != null) {
                throw AwsChunkedFraming.malformed(AwsChunkedFraming.TRAILER_SIGNATURE_HEADER + " must be the last trailer");
            }
            if (isTrailerSignature(line)) {
                if (!mode.signedChunks()) {
                    throw AwsChunkedFraming.malformed(mode.headerValue() + " has no trailer signature");
                }
                signature = line.substring(AwsChunkedFraming.TRAILER_SIGNATURE_HEADER.length() + 1).strip();
                AwsChunkedFraming.requireSignatureHex(signature, AwsChunkedFraming.TRAILER_SIGNATURE_HEADER);
                continue;
            }
            AwsChunkedFraming.addTrailer(line, found);
        }
        if (mode.trailer() && mode.signedChunks()) {
            if (signature == null) {
                throw new AwsChunkedException(Kind.TRAILER_SIGNATURE_MISMATCH, "the trailer signature is missing");
            }
            chain.verifyTrailer(AwsChunkedFraming.canonicalTrailers(found), signature);
        }
        return found;
    }

    private static boolean isTrailerSignature(String line) {
        String name = AwsChunkedFraming.TRAILER_SIGNATURE_HEADER;
        return line.length() > name.length() && line.charAt(name.length()) == ':'
                && line.regionMatches(true, 0, name, 0, name.length());
    }

    /** One CRLF-terminated line of printable ASCII (tab allowed), without its CRLF. */
    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            int c = nextByte();
            if (c == '\r') {
                if (nextByte() != '\n') {
                    throw AwsChunkedFraming.malformed("a chunk header or trailer line must end in CRLF");
                }
                return new String(lineBytes, 0, length, StandardCharsets.US_ASCII);
            }
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw AwsChunkedFraming.malformed("a chunk header or trailer line holds a control or non-ASCII byte");
            }
            if (length == MAX_LINE_BYTES) {
                throw AwsChunkedFraming.malformed("a chunk header or trailer line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            lineBytes[length++] = (byte) c;
        }
    }

    private int nextByte() throws IOException {
        if (bufferPosition == bufferLimit) {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                throw incomplete();
            }
            bufferPosition = 0;
            bufferLimit = n;
        }
        return buffer[bufferPosition++] & 0xff;
    }

    private void fail(AwsChunkedException e) {
        if (state != State.FAILED) {
            failure = e;
            state = State.FAILED;
        }
    }

    private AwsChunkedException incomplete() {
        return new AwsChunkedException(Kind.INCOMPLETE_BODY, "the body ended before the final chunk and its trailer");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

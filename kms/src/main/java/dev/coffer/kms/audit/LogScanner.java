package dev.coffer.kms.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Streams a log file once, in bounded memory: hashes every byte with SHA-256 and hands each complete
 * ({@code '\n'}-terminated) line to a handler. A line longer than {@link #MAX_LINE_BYTES} is not
 * buffered; the handler is told it was oversized. Bytes after the last newline are a trailing partial
 * line (a torn write, or an append in flight when reading an open file): hashed, counted, not handled.
 */
final class LogScanner {
    /** No record comes near this (the largest KMS request is a 32 KiB key policy). */
    static final int MAX_LINE_BYTES = 1 << 20;

    private static final int CHUNK_BYTES = 64 * 1024;

    interface LineHandler {
        /** {@code lineNumber} counts from 1; {@code line[0, length)} is the line without its newline. */
        void onLine(long lineNumber, byte[] line, int length);

        default void onOversizedLine(long lineNumber) {}
    }

    /**
     * @param sha256Hex SHA-256 of every byte of the file (including a trailing partial line)
     * @param completeLines lines ending in '\n' (the records, if the file is intact)
     * @param trailingBytes bytes after the last '\n'
     * @param bytesRead the file's length as read
     */
    record Result(String sha256Hex, long completeLines, long trailingBytes, long bytesRead) {}

    private LogScanner() {}

    static Result scan(Path file, LineHandler handler) throws IOException {
        return scan(file, Long.MAX_VALUE, handler);
    }

    /** Scans the first {@code limitBytes} bytes of {@code file}. */
    static Result scan(Path file, long limitBytes, LineHandler handler) throws IOException {
        MessageDigest sha = sha256();
        byte[] chunk = new byte[CHUNK_BYTES];
        byte[] line = new byte[1024];
        int lineLength = 0;
        boolean oversized = false;
        long lines = 0;
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (total < limitBytes) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, limitBytes - total));
                if (n < 0) {
                    break;
                }
                sha.update(chunk, 0, n);
                total += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    lines++;
                    if (!oversized) {
                        line = append(line, lineLength, chunk, start, i - start);
                        lineLength += i - start;
                        if (lineLength > MAX_LINE_BYTES) {
                            handler.onOversizedLine(lines);
                        } else {
                            handler.onLine(lines, line, lineLength);
                        }
                    } else {
                        handler.onOversizedLine(lines);
                    }
                    lineLength = 0;
                    oversized = false;
                    start = i + 1;
                }
                int rest = n - start;
                if (rest > 0 && !oversized) {
                    if (lineLength + rest > MAX_LINE_BYTES) {
                        oversized = true;
                        lineLength += rest; // counted, no longer kept
                    } else {
                        line = append(line, lineLength, chunk, start, rest);
                        lineLength += rest;
                    }
                } else if (rest > 0) {
                    lineLength += rest;
                }
            }
        }
        return new Result(HexFormat.of().formatHex(sha.digest()), lines, lineLength, total);
    }

    private static byte[] append(byte[] line, int length, byte[] src, int offset, int count) {
        if (count == 0) {
            return line;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(src, offset, line, length, count);
        return line;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}

package dev.coffer.auth.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test-side aws-chunked encoder, written from the AWS documentation without the decoder's code, so
 * tests can frame bodies with any chunk size (the SDK's signer always uses 128 KiB) and build tampered
 * ones. {@code AwsChunkedSdkTest} proves it byte-identical to the AWS SDK v2's encoder.
 */
final class AwsChunkedBodies {
    private AwsChunkedBodies() {}

    /** One framed chunk, kept apart so tests can drop, reorder or alter chunks. */
    record Chunk(byte[] framed, String signature) {}

    /** The data chunks, then the final chunk with the trailer section, as sent. */
    record Body(List<Chunk> dataChunks, byte[] finalPart) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            dataChunks.forEach(c -> out.writeBytes(c.framed()));
            out.writeBytes(finalPart);
            return out.toByteArray();
        }
    }

    /** Frames {@code data} in chunks of {@code chunkSizeBytes}; signed when {@code signingKey} is not null. */
    static Body encode(byte[] data, int chunkSizeBytes, byte[] signingKey, String amzDate, String scope,
                       String seedSignature, Map<String, String> trailers) {
        List<Chunk> chunks = new ArrayList<>();
        String previous = seedSignature;
        for (int offset = 0; offset < data.length; offset += chunkSizeBytes) {
            int size = Math.min(chunkSizeBytes, data.length - offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String signature = null;
            if (signingKey == null) {
                out.writeBytes(ascii(Integer.toHexString(size) + "\r\n"));
            } else {
                signature = chunkSignature(signingKey, amzDate, scope, previous, sha256(data, offset, size));
                out.writeBytes(ascii(Integer.toHexString(size) + ";chunk-signature=" + signature + "\r\n"));
                previous = signature;
            }
            out.write(data, offset, size);
            out.writeBytes(ascii("\r\n"));
            chunks.add(new Chunk(out.toByteArray(), signature));
        }
        StringBuilder end = new StringBuilder("0");
        if (signingKey != null) {
            previous = chunkSignature(signingKey, amzDate, scope, previous, sha256(new byte[0], 0, 0));
            end.append(";chunk-signature=").append(previous);
        }
        end.append("\r\n");
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, String> t : new TreeMap<>(trailers).entrySet()) {
            end.append(t.getKey()).append(':').append(t.getValue()).append("\r\n");
            canonical.append(t.getKey()).append(':').append(t.getValue()).append('\n');
        }
        if (signingKey != null && !trailers.isEmpty()) {
            String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                    + sha256(ascii(canonical.toString()), 0, canonical.length());
            end.append("x-amz-trailer-signature:").append(hmacHex(signingKey, stringToSign)).append("\r\n");
        }
        end.append("\r\n");
        return new Body(chunks, ascii(end.toString()));
    }

    static Body unsigned(byte[] data, int chunkSizeBytes, Map<String, String> trailers) {
        return encode(data, chunkSizeBytes, null, null, null, null, trailers);
    }

    static String chunkSignature(byte[] signingKey, String amzDate, String scope, String previous, String dataSha256Hex) {
        return hmacHex(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + sha256(new byte[0], 0, 0) + "\n" + dataSha256Hex);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String sha256(byte[] data, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String hmacHex(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(ascii(data)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}

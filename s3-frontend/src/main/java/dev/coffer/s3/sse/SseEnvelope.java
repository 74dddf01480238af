package dev.coffer.s3.sse;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an encrypted object (or multipart upload) stores beside its bytes so it can be read again:
 * the mode, the stream segment size, and for the KMS modes the key ARN, whether a bucket key made
 * it, the requester's encryption context and the KMS ciphertext blob of the data key; for SSE-C a
 * random salt and the HMAC of the customer's key under it (never the key). Layout:
 * docs/formats/s3-sse-envelope-v1.md. Not secret, but never logged whole.
 *
 * @param keyArn the KMS key that made the data key (SSE-S3, SSE-KMS), else null
 * @param bucketKey whether the data key is a bucket key shared by many objects (SSE-KMS)
 * @param context the requester's encryption context from x-amz-server-side-encryption-context
 *     (SSE-KMS), in the order given; {@code aws:s3:arn} is not stored but derived from the object
 * @param kmsBlob the KMS ciphertext blob of the data key (SSE-S3, SSE-KMS), else null
 * @param customerKeySalt 32 random bytes (SSE-C), else null
 * @param customerKeyHmac HMAC-SHA256 of the customer key under the salt (SSE-C), else null
 */
public record SseEnvelope(SseMode mode, int segmentSize, String keyArn, boolean bucketKey, Map<String, String> context,
                          byte[] kmsBlob, byte[] customerKeySalt, byte[] customerKeyHmac) {
    public static final int VERSION = 1;
    public static final int SALT_BYTES = 32;
    public static final int HMAC_BYTES = 32;
    private static final int MAX_STRING_BYTES = 64 * 1024;

    public SseEnvelope {
        Objects.requireNonNull(mode, "mode");
        context = context == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(context));
        kmsBlob = kmsBlob == null ? null : kmsBlob.clone();
        customerKeySalt = customerKeySalt == null ? null : customerKeySalt.clone();
        customerKeyHmac = customerKeyHmac == null ? null : customerKeyHmac.clone();
        if (mode == SseMode.SSE_C) {
            if (customerKeySalt == null || customerKeySalt.length != SALT_BYTES || customerKeyHmac == null
                    || customerKeyHmac.length != HMAC_BYTES || keyArn != null || kmsBlob != null) {
                throw new IllegalArgumentException("an SSE-C envelope holds a salt and an HMAC only");
            }
        } else if (keyArn == null || kmsBlob == null || customerKeySalt != null || customerKeyHmac != null) {
            throw new IllegalArgumentException("a KMS envelope holds a key ARN and a KMS blob only");
        }
        if (mode != SseMode.SSE_KMS && (bucketKey || !context.isEmpty())) {
            throw new IllegalArgumentException("bucket keys and encryption contexts belong to SSE-KMS");
        }
    }

    public static SseEnvelope kms(SseMode mode, int segmentSize, String keyArn, boolean bucketKey, Map<String, String> context,
                                  byte[] kmsBlob) {
        return new SseEnvelope(mode, segmentSize, keyArn, bucketKey, context, kmsBlob, null, null);
    }

    public static SseEnvelope customerKey(int segmentSize, byte[] salt, byte[] hmac) {
        return new SseEnvelope(SseMode.SSE_C, segmentSize, null, false, Map.of(), null, salt, hmac);
    }

    @Override
    public byte[] kmsBlob() {
        return kmsBlob == null ? null : kmsBlob.clone();
    }

    @Override
    public byte[] customerKeySalt() {
        return customerKeySalt == null ? null : customerKeySalt.clone();
    }

    @Override
    public byte[] customerKeyHmac() {
        return customerKeyHmac == null ? null : customerKeyHmac.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(mode.code());
            out.writeInt(segmentSize);
            if (mode == SseMode.SSE_C) {
                out.write(customerKeySalt);
                out.write(customerKeyHmac);
            } else {
                writeString(out, keyArn);
                out.writeByte(bucketKey ? 1 : 0);
                out.writeShort(context.size());
                for (Map.Entry<String, String> e : context.entrySet()) {
                    writeString(out, e.getKey());
                    writeString(out, e.getValue());
                }
                out.writeShort(kmsBlob.length);
                out.write(kmsBlob);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parses a stored envelope; anything malformed, truncated or extended is refused. */
    public static SseEnvelope decode(byte[] stored) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new EnvelopeException("unknown version " + version);
            }
            SseMode mode = SseMode.ofCode(in.readUnsignedByte());
            int segmentSize = in.readInt();
            SseEnvelope envelope;
            if (mode == SseMode.SSE_C) {
                envelope = customerKey(segmentSize, in.readNBytes(SALT_BYTES), in.readNBytes(HMAC_BYTES));
            } else {
                String keyArn = readString(in);
                int flags = in.readUnsignedByte();
                if (flags > 1) {
                    throw new EnvelopeException("unknown flags " + flags);
                }
                int pairs = in.readUnsignedShort();
                Map<String, String> context = new LinkedHashMap<>();
                for (int i = 0; i < pairs; i++) {
                    if (context.put(readString(in), readString(in)) != null) {
                        throw new EnvelopeException("duplicate encryption context key");
                    }
                }
                int blobLength = in.readUnsignedShort();
                byte[] blob = in.readNBytes(blobLength);
                if (blob.length != blobLength) {
                    throw new EOFException();
                }
                envelope = kms(mode, segmentSize, keyArn, flags == 1, context, blob);
            }
            if (in.read() != -1) {
                throw new EnvelopeException("bytes after the end");
            }
            return envelope;
        } catch (EOFException e) {
            throw new EnvelopeException("truncated");
        } catch (IOException | IllegalArgumentException e) {
            throw new EnvelopeException(e.getMessage());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES - 1) {
            throw new IllegalArgumentException("envelope string too long");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length != length) {
            throw new EOFException();
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseEnvelope other && mode == other.mode && segmentSize == other.segmentSize
                && Objects.equals(keyArn, other.keyArn) && bucketKey == other.bucketKey && context.equals(other.context)
                && Arrays.equals(kmsBlob, other.kmsBlob) && Arrays.equals(customerKeySalt, other.customerKeySalt)
                && Arrays.equals(customerKeyHmac, other.customerKeyHmac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, segmentSize, keyArn, bucketKey, context) * 31 + Arrays.hashCode(kmsBlob);
    }

    /** Mode and key only: the blob and the SSE-C HMAC stay out of logs. */
    @Override
    public String toString() {
        return "SseEnvelope[" + mode + (keyArn == null ? "" : ", " + keyArn) + (bucketKey ? ", bucket key" : "") + "]";
    }

    /** A stored envelope that cannot be parsed: the object cannot be decrypted. */
    public static final class EnvelopeException extends RuntimeException {
        EnvelopeException(String message) {
            super("unreadable encryption envelope: " + message);
        }
    }
}

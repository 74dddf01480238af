package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What server-side encryption leaves on disk: after objects of recognisable plaintext are written
 * under every mode (small inline ones, large file-backed ones, multipart), no file under the data
 * directory (RocksDB SST/WAL/LOG, object data files, HSM, audit trail, TLS) holds the plaintext or
 * the SSE-C key in any encoding, while a plain control object's marker is found (so the scan sees
 * what is stored). Then stored ciphertext is altered in place: a GET never returns altered bytes.
 */
class S3SseAtRestIT {
    static final String MARKER = "COFFER-PLAINTEXT-MARKER-";
    static final String CONTROL_MARKER = "COFFER-CONTROL-MARKER-";
    static final int INLINE_SIZE = 20 * 1024;
    static final int LARGE_SIZE = 1024 * 1024;
    static final int PART_SIZE = 5 * 1024 * 1024;

    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;
    static final byte[] CUSTOMER_KEY = customerKey();

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, true, "s3,kms");
        s3 = gateway.rootS3OverHttps();
        s3.createBucket(b -> b.bucket("rest"));
        s3.putBucketEncryption(r -> r.bucket("rest").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE)))));
        s3.createBucket(b -> b.bucket("control"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        gateway.close();
    }

    static byte[] customerKey() {
        byte[] k = new byte[32];
        new Random(4242).nextBytes(k);
        return k;
    }

    /** {@code size} bytes of numbered lines "<marker>00000001\n". */
    static byte[] markerText(String marker, int size, int seed) {
        StringBuilder text = new StringBuilder(size + 64);
        for (int n = seed * 1_000_000; text.length() < size; n++) {
            text.append(marker).append(String.format(Locale.ROOT, "%08d", n)).append('\n');
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String md5b64(byte[] b) throws Exception {
        return b64(MessageDigest.getInstance("MD5").digest(b));
    }

    /** How each mode is asked for on a PUT, a CreateMultipartUpload, an UploadPart and a GET. */
    record Mode(String name, UnaryOperator<PutObjectRequest.Builder> put, UnaryOperator<CreateMultipartUploadRequest.Builder> create,
                UnaryOperator<UploadPartRequest.Builder> part, UnaryOperator<GetObjectRequest.Builder> get) {}

    static List<Mode> modes() throws Exception {
        String key = b64(CUSTOMER_KEY);
        String md5 = md5b64(CUSTOMER_KEY);
        return List.of(
                new Mode("sse-s3", p -> p.serverSideEncryption(ServerSideEncryption.AES256),
                        c -> c.serverSideEncryption(ServerSideEncryption.AES256), UnaryOperator.identity(), UnaryOperator.identity()),
                new Mode("sse-kms", p -> p.serverSideEncryption(ServerSideEncryption.AWS_KMS),
                        c -> c.serverSideEncryption(ServerSideEncryption.AWS_KMS), UnaryOperator.identity(), UnaryOperator.identity()),
                new Mode("sse-kms-bucket-key", p -> p.serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(true),
                        c -> c.serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(true),
                        UnaryOperator.identity(), UnaryOperator.identity()),
                new Mode("sse-c", p -> p.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                        c -> c.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                        u -> u.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                        g -> g.sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5)));
    }

    /** Writes an inline, a file-backed and a multipart object under this mode (or plain) and reads each back. */
    static void writeAndCheck(String bucket, String prefix, String marker, Mode mode, int seed) {
        Map<String, byte[]> written = new LinkedHashMap<>();
        written.put(prefix + "/inline", markerText(marker, INLINE_SIZE, seed));
        written.put(prefix + "/large", markerText(marker, LARGE_SIZE, seed + 1));
        for (String key : List.of(prefix + "/inline", prefix + "/large")) {
            s3.putObject(r -> mode.put().apply(r.bucket(bucket).key(key)), RequestBody.fromBytes(written.get(key)));
        }
        byte[] multipart = markerText(marker, PART_SIZE + 1000, seed + 2);
        String mpKey = prefix + "/multipart";
        written.put(mpKey, multipart);
        String id = s3.createMultipartUpload(r -> mode.create().apply(r.bucket(bucket).key(mpKey))).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[][] bodies = {Arrays.copyOf(multipart, PART_SIZE), Arrays.copyOfRange(multipart, PART_SIZE, multipart.length)};
        for (int n = 1; n <= 2; n++) {
            int number = n;
            String etag = s3.uploadPart(r -> mode.part().apply(r.bucket(bucket).key(mpKey).uploadId(id).partNumber(number)),
                    RequestBody.fromBytes(bodies[number - 1])).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(mpKey).uploadId(id).multipartUpload(m -> m.parts(parts)));
        written.forEach((key, data) ->
                assertThat(s3.getObjectAsBytes(r -> mode.get().apply(r.bucket(bucket).key(key))).asByteArray()).as(key).isEqualTo(data));
    }

    /** Every regular file under the data directory, relative path to bytes. */
    static Map<String, byte[]> everyFile() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    files.put(dataDir.relativize(p).toString(), Files.readAllBytes(p));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a RocksDB file replaced while walking
                }
            }
        }
        return files;
    }

    /** The files that contain this byte sequence. */
    static Set<String> filesContaining(Map<String, byte[]> files, byte[] needle) {
        Set<String> hits = new TreeSet<>();
        files.forEach((name, bytes) -> {
            if (indexOf(bytes, needle) >= 0) {
                hits.add(name);
            }
        });
        return hits;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (haystack[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void nothingWrittenUnderAnyModeIsOnDiskInTheClearButAPlainObjectIs() throws Exception {
        int seed = 1;
        for (Mode mode : modes()) {
            writeAndCheck("rest", mode.name(), MARKER, mode, seed);
            seed += 10;
        }
        Mode plain = new Mode("plain", UnaryOperator.identity(), UnaryOperator.identity(), UnaryOperator.identity(),
                UnaryOperator.identity());
        writeAndCheck("control", "plain", CONTROL_MARKER, plain, 100);
        assertThat(s3.headObject(r -> r.bucket("control").key("plain/inline")).serverSideEncryption())
                .as("the control bucket has no default encryption, so the control objects are stored as sent").isNull();

        Map<String, byte[]> files = everyFile();
        assertThat(files.keySet()).as("the scan sees the engine's RocksDB, its data files, the HSM and the audit trail")
                .anyMatch(f -> f.startsWith("s3/meta/") && f.endsWith(".log"))
                .anyMatch(f -> f.startsWith("s3/data/") && f.endsWith(".data"))
                .anyMatch(f -> f.startsWith("hsm"))
                .anyMatch(f -> f.startsWith("audit"));

        // The control: its inline object is in RocksDB's WAL, its large ones in data files.
        Set<String> control = filesContaining(files, CONTROL_MARKER.getBytes(StandardCharsets.US_ASCII));
        assertThat(control).as("files holding the plain control marker").anyMatch(f -> f.startsWith("s3/meta/"))
                .anyMatch(f -> f.startsWith("s3/data/"));

        assertThat(filesContaining(files, MARKER.getBytes(StandardCharsets.US_ASCII))).as("files holding encrypted plaintext").isEmpty();

        Map<String, byte[]> keyForms = new LinkedHashMap<>();
        keyForms.put("raw key", CUSTOMER_KEY);
        keyForms.put("first 16 bytes of the raw key", Arrays.copyOf(CUSTOMER_KEY, 16));
        keyForms.put("base64 key", b64(CUSTOMER_KEY).getBytes(StandardCharsets.US_ASCII));
        keyForms.put("url-safe base64 key", Base64.getUrlEncoder().withoutPadding().encodeToString(CUSTOMER_KEY)
                .getBytes(StandardCharsets.US_ASCII));
        keyForms.put("hex key", HexFormat.of().formatHex(CUSTOMER_KEY).getBytes(StandardCharsets.US_ASCII));
        keyForms.put("HEX key", HexFormat.of().withUpperCase().formatHex(CUSTOMER_KEY).getBytes(StandardCharsets.US_ASCII));
        keyForms.forEach((form, bytes) -> assertThat(filesContaining(files, bytes)).as("files holding the SSE-C %s", form).isEmpty());
        // The object list names every object: the files were really there.
        assertThat(s3.listObjectsV2(r -> r.bucket("rest").prefix("sse")).contents()).hasSize(12);
    }

    /** The data files the engine has now. */
    static Set<Path> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("s3").resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".data")).collect(Collectors.toSet());
        }
    }

    /** PUTs a file-backed SSE-KMS object and returns the one data file it added. */
    static Path putLargeKmsObject(String key, byte[] data) throws IOException {
        Set<Path> before = dataFiles();
        s3.putObject(r -> r.bucket("rest").key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromBytes(data));
        Set<Path> added = new TreeSet<>(dataFiles());
        added.removeAll(before);
        assertThat(added).as("data files added by the PUT of " + key).hasSize(1);
        Path file = added.iterator().next();
        assertThat(Files.size(file)).isGreaterThan(data.length);
        return file;
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x01);
        }
    }

    @Test
    void aFlippedCiphertextByteFailsTheGetButUntouchedSegmentsStillRead() throws Exception {
        byte[] data = markerText(MARKER, LARGE_SIZE, 7);
        Path file = putLargeKmsObject("tamper/body", data);
        flipByte(file, Files.size(file) / 2);

        // The whole object: the status may already be out when the bad segment is reached, so the
        // body is cut short; what must never happen is a complete body.
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/body")))
                .as("a GET of an object with an altered byte must not complete");
        // A range that starts in the altered segment fails before any byte: 500.
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/body").range("bytes=520000-600000")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                });
        // The first segment was not touched.
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/body").range("bytes=0-1023")).asByteArray())
                .isEqualTo(Arrays.copyOf(data, 1024));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/body").range("bytes=100-199")).asByteArray())
                .isEqualTo(Arrays.copyOfRange(data, 100, 200));
    }

    @Test
    void anAlteredStreamHeaderFailsTheGetBeforeAnyByte() throws Exception {
        byte[] data = markerText(MARKER, LARGE_SIZE, 8);
        for (long position : List.of(0L, 1L, 10L, 40L)) {
            String key = "tamper/header-" + position;
            Path file = putLargeKmsObject(key, data);
            flipByte(file, position);
            for (String range : java.util.Arrays.asList(null, "bytes=0-99", "bytes=1000000-1000099")) {
                assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("rest").key(key).range(range)))
                        .as("header byte %d altered, range %s", position, range)
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                        });
            }
        }
    }

    @Test
    void aTruncatedOrExtendedDataFileNeverServesOtherBytes() throws Exception {
        byte[] data = markerText(MARKER, LARGE_SIZE, 9);
        Path cut = putLargeKmsObject("tamper/truncated", data);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/truncated")))
                .as("the last segment lost its last tag byte");
        // Bytes appended past the recorded length are never read: the object is served intact, or not at all.
        Path grown = putLargeKmsObject("tamper/extended", data);
        try (RandomAccessFile f = new RandomAccessFile(grown.toFile(), "rw")) {
            f.seek(f.length());
            f.write(new byte[16]);
        }
        byte[] served;
        try {
            served = s3.getObjectAsBytes(r -> r.bucket("rest").key("tamper/extended")).asByteArray();
        } catch (RuntimeException refused) {
            return;
        }
        assertThat(served).isEqualTo(data);
    }
}

package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.BlockSealV1;
import dev.coffer.crypto.block.VolumeBlockCipher;
import dev.coffer.crypto.envelope.DecryptionMaterials;
import dev.coffer.crypto.envelope.EncryptedDataKey;
import dev.coffer.crypto.envelope.EncryptionContext;
import dev.coffer.crypto.envelope.RawAesKeyring;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamDecryptor;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamHeader;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamReader;
import dev.coffer.crypto.stream.ObjectStreamV1;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer vectors for every stored format, generated independently of this code by
 * src/test/python/generate_vectors.py (Python's cryptography, i.e. OpenSSL) from the specs in
 * docs/formats. Each vector is checked byte for byte on the write side and round-tripped on the
 * read side, through every public path.
 */
class FormatKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<JsonNode> objectStreamVectors() {
        return vectors("object-stream-v1.json");
    }

    static Stream<JsonNode> blockSealVectors() {
        return vectors("block-seal-v1.json");
    }

    static Stream<JsonNode> rawAesKeyringVectors() {
        return vectors("raw-aes-keyring-v1.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectStreamVectors")
    void objectStreamMatchesIndependentVector(JsonNode v) throws IOException {
        int segmentSize = v.get("segmentSizeBytes").asInt();
        SecretBytes dataKey = SecretBytes.copyOf(hex(v, "dataKey"));
        byte[] aad = hex(v, "associatedData");
        byte[] plaintext = hex(v, "plaintext");
        byte[] expected = hex(v, "ciphertext");
        ObjectStreamHeader header = ObjectStreamHeader.of(new ObjectStreamParameters(segmentSize), hex(v, "salt"), hex(v, "noncePrefix"));

        assertThat(header.toBytes()).isEqualTo(hex(v, "header"));
        assertThat(ObjectStreamV1.deriveContentKey(dataKey, header, aad).getEncoded()).isEqualTo(hex(v, "contentKey"));
        List<JsonNode> nonces = StreamSupport.stream(v.get("nonces").spliterator(), false).toList();
        for (int i = 0; i < nonces.size(); i++) {
            byte[] nonce = ObjectStreamV1.segmentNonce(hex(v, "noncePrefix"), i, i == nonces.size() - 1);
            assertThat(HEX.formatHex(nonce)).isEqualTo(nonces.get(i).asText());
        }
        assertThat(ObjectStreamV1.ciphertextSize(plaintext.length, segmentSize)).isEqualTo(expected.length);
        assertThat(ObjectStreamV1.plaintextSize(expected.length, segmentSize)).isEqualTo(plaintext.length);

        assertThat(encrypt(header, dataKey, aad, plaintext, plaintext.length)).isEqualTo(expected);
        assertThat(encrypt(header, dataKey, aad, plaintext, ObjectStreamEncryptor.UNKNOWN_LENGTH)).isEqualTo(expected);
        assertThat(encryptIntoArray(header, dataKey, aad, plaintext, plaintext.length)).isEqualTo(expected);
        assertThat(encryptIntoArray(header, dataKey, aad, plaintext, ObjectStreamEncryptor.UNKNOWN_LENGTH)).isEqualTo(expected);

        try (ObjectStreamReader reader = ObjectStreamReader.open(dataKey, aad, CiphertextSource.of(expected), expected.length);
             InputStream in = reader.openAll()) {
            assertThat(in.readAllBytes()).isEqualTo(plaintext);
        }
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(dataKey, aad);
        feedInRandomChunks(expected, (b, off, len) -> decryptor.update(b, off, len, ByteSink.of(decrypted)));
        decryptor.finish(ByteSink.of(decrypted));
        assertThat(decrypted.toByteArray()).isEqualTo(plaintext);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockSealVectors")
    void blockSealMatchesIndependentVector(JsonNode v) throws IOException {
        int blockSize = v.get("blockSizeBytes").asInt();
        String volumeId = v.get("volumeBindingId").asText();
        long index = v.get("blockIndex").asLong();
        SecretBytes dataKey = SecretBytes.copyOf(hex(v, "dataKey"));
        byte[] plaintext = hex(v, "plaintext");
        byte[] expected = hex(v, "sealed");

        AesKey sessionKey = BlockSealV1.deriveSessionKey(dataKey, hex(v, "keySalt"));
        assertThat(sessionKey.getEncoded()).isEqualTo(hex(v, "sessionKey"));
        byte[] volumeIdBytes = BlockSealV1.bindingIdBytes(volumeId);
        assertThat(BlockSealV1.associatedData(volumeIdBytes, blockSize, index)).isEqualTo(hex(v, "associatedData"));

        byte[] sealed = new byte[BlockSealV1.sealedSize(blockSize)];
        BlockSealV1.seal(new AesGcm(), sessionKey, hex(v, "keySalt"), hex(v, "nonce"), volumeIdBytes, index,
                plaintext, 0, blockSize, sealed, 0);
        assertThat(sealed).isEqualTo(expected);

        try (VolumeBlockCipher cipher = new VolumeBlockCipher(dataKey, volumeId, new BlockSealParameters(blockSize), new SecureRandom())) {
            byte[] opened = new byte[blockSize];
            cipher.open(index, expected, 0, opened, 0);
            assertThat(opened).isEqualTo(plaintext);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawAesKeyringVectors")
    void rawAesKeyringUnwrapsIndependentVector(JsonNode v) throws Exception {
        Map<String, String> pairs = new LinkedHashMap<>();
        v.get("encryptionContext").properties().forEach(e -> pairs.put(e.getKey(), e.getValue().asText()));
        EncryptionContext context = EncryptionContext.of(pairs);
        assertThat(context.canonicalBytes()).isEqualTo(hex(v, "canonicalEncryptionContext"));

        String namespace = v.get("namespace").asText();
        String keyName = v.get("keyName").asText();
        RawAesKeyring keyring = new RawAesKeyring(namespace, keyName, SecretBytes.copyOf(hex(v, "wrappingKey")), new SecureRandom());
        DecryptionMaterials materials = keyring.onDecrypt(DecryptionMaterials.forContext(context),
                List.of(new EncryptedDataKey(namespace, keyName, hex(v, "wrappedDataKey"))));
        assertThat(materials.plaintextDataKey().orElseThrow().toByteArray(SecretAccess.explicitly())).isEqualTo(hex(v, "dataKey"));
    }

    private static byte[] encrypt(ObjectStreamHeader header, SecretBytes dataKey, byte[] aad, byte[] plaintext, long declaredLength)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.startWithHeader(header, dataKey, aad, declaredLength)) {
            feedInRandomChunks(plaintext, (b, off, len) -> encryptor.update(b, off, len, ByteSink.of(out)));
            encryptor.finish(ByteSink.of(out));
        }
        return out.toByteArray();
    }

    /** The array form, as the data path uses it: output written straight into one array. */
    private static byte[] encryptIntoArray(ObjectStreamHeader header, SecretBytes dataKey, byte[] aad, byte[] plaintext,
                                           long declaredLength) throws IOException {
        byte[] out = new byte[(int) ObjectStreamV1.ciphertextSize(plaintext.length, header.segmentSizeBytes())
                + 2 * header.segmentSizeBytes() + 4096];
        int[] written = {0};
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.startWithHeader(header, dataKey, aad, declaredLength)) {
            feedInRandomChunks(plaintext, (b, off, len) -> {
                if (out.length - written[0] < encryptor.updateOutputBound(len)) {
                    throw new IllegalStateException("test buffer too small");
                }
                written[0] += encryptor.update(b, off, len, out, written[0]);
            });
            written[0] += encryptor.finish(out, written[0]);
        }
        return Arrays.copyOf(out, written[0]);
    }

    private static void feedInRandomChunks(byte[] data, ByteSink consumer) throws IOException {
        Random random = new Random(data.length);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + random.nextInt(3000));
            consumer.write(data, at, n);
            at += n;
        }
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.get(field).asText());
    }

    private static Stream<JsonNode> vectors(String file) {
        try (InputStream in = FormatKnownAnswerTest.class.getResourceAsStream("/vectors/" + file)) {
            JsonNode root = new ObjectMapper().readTree(in);
            assertThat(root.get("vectors").size()).isPositive();
            return StreamSupport.stream(root.get("vectors").spliterator(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

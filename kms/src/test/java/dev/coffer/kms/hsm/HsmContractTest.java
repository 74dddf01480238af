package dev.coffer.kms.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Hsm} keeps, run against each implementation ({@code SoftwareHsmTest},
 * {@code Pkcs11HsmIT}). Each test uses labels of its own, so implementations whose storage outlives
 * one test (a shared token) need no cleanup between tests.
 */
abstract class HsmContractTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Opens the HSM under test; called again after {@code close()} to check what survives a restart. */
    protected abstract Hsm openHsm() throws Exception;

    /** Strings that must never appear in a description, {@code toString} or message (a PIN, say). */
    protected List<String> secretsThatMustNotLeak() {
        return List.of();
    }

    protected Hsm hsm;
    private final String labelPrefix = "contract/" + UUID.randomUUID();

    @BeforeEach
    void openHsmUnderTest() throws Exception {
        hsm = openHsm();
    }

    @AfterEach
    void closeHsmUnderTest() {
        if (hsm != null) {
            hsm.close();
        }
    }

    protected String label(String name) {
        return labelPrefix + "/" + name;
    }

    protected void restart() throws Exception {
        hsm.close();
        hsm = openHsm();
    }

    protected static byte[] randomBytes(int length) {
        byte[] b = new byte[length];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] derivationInput(byte[] nonce) {
        byte[] in = new byte[32];
        in[0] = 1;
        System.arraycopy(nonce, 0, in, 4, 12);
        in[16] = 2;
        System.arraycopy(nonce, 0, in, 20, 12);
        return in;
    }

    // ---- key management

    @Test
    void generatedKeyIsContainedUntilDestroyed() {
        String label = label("k");
        assertThat(hsm.containsKey(label)).isFalse();
        hsm.generateAesKey(label);
        assertThat(hsm.containsKey(label)).isTrue();
        hsm.destroyKey(label);
        assertThat(hsm.containsKey(label)).isFalse();
    }

    @Test
    void destroyingAnAbsentLabelDoesNothing() {
        hsm.destroyKey(label("never-created"));
        assertThat(hsm.containsKey(label("never-created"))).isFalse();
    }

    @Test
    void existingLabelIsNeverOverwritten() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, new byte[0], "kept".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> hsm.generateAesKey(label)).isInstanceOf(IllegalStateException.class);
        try (SecretBytes material = SecretBytes.copyOf(randomBytes(32))) {
            assertThatThrownBy(() -> hsm.importAesKey(label, material)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(hsm.open(label, iv, new byte[0], sealed)).asString(StandardCharsets.UTF_8).isEqualTo("kept");
    }

    @Test
    void destroyedKeyCannotOpenWhatItSealed() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, new byte[0], randomBytes(32));
        hsm.destroyKey(label);

        Throwable thrown = catchThrowable(() -> hsm.open(label, iv, new byte[0], sealed));
        assertThat(thrown).isInstanceOf(HsmException.class).isNotInstanceOf(HsmTagMismatchException.class)
                .hasMessageContaining(label);
    }

    // ---- seal and open

    @Test
    void sealThenOpenReturnsThePlaintext() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        for (int size : new int[] {0, 1, 15, 16, 17, 32, 1000, 4096}) {
            byte[] plaintext = randomBytes(size);
            byte[] aad = randomBytes(size % 40);
            byte[] iv = randomBytes(12);
            byte[] sealed = hsm.seal(label, iv, aad, plaintext);
            assertThat(sealed).hasSize(size + 16);
            assertThat(hsm.open(label, iv, aad, sealed)).isEqualTo(plaintext);
        }
    }

    @Test
    void wrongAssociatedDataIsATagMismatch() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, "context=a".getBytes(StandardCharsets.UTF_8), randomBytes(32));

        assertThatThrownBy(() -> hsm.open(label, iv, "context=b".getBytes(StandardCharsets.UTF_8), sealed))
                .isInstanceOf(HsmTagMismatchException.class);
        assertThatThrownBy(() -> hsm.open(label, iv, new byte[0], sealed))
                .isInstanceOf(HsmTagMismatchException.class);
    }

    @Test
    void wrongIvIsATagMismatch() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, new byte[0], randomBytes(32));
        byte[] otherIv = iv.clone();
        otherIv[11] ^= 1;

        assertThatThrownBy(() -> hsm.open(label, otherIv, new byte[0], sealed))
                .isInstanceOf(HsmTagMismatchException.class);
    }

    @Test
    void anotherKeyIsATagMismatch() throws Exception {
        hsm.generateAesKey(label("a"));
        hsm.generateAesKey(label("b"));
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label("a"), iv, new byte[0], randomBytes(32));

        assertThatThrownBy(() -> hsm.open(label("b"), iv, new byte[0], sealed))
                .isInstanceOf(HsmTagMismatchException.class);
    }

    @Test
    void everyFlippedBitIsATagMismatch() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] aad = randomBytes(8);
        byte[] sealed = hsm.seal(label, iv, aad, randomBytes(32));

        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> hsm.open(label, iv, aad, tampered))
                    .isInstanceOf(HsmTagMismatchException.class);
        }
    }

    @Test
    void truncatedOrExtendedCiphertextIsATagMismatch() throws Exception {
        String label = label("k");
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, new byte[0], randomBytes(32));

        for (byte[] tampered : List.of(
                Arrays.copyOf(sealed, sealed.length - 1),
                Arrays.copyOf(sealed, sealed.length - 16),
                Arrays.copyOf(sealed, 15),
                new byte[0],
                Arrays.copyOf(sealed, sealed.length + 1),
                Arrays.copyOfRange(sealed, 1, sealed.length))) {
            assertThatThrownBy(() -> hsm.open(label, iv, new byte[0], tampered))
                    .isInstanceOf(HsmTagMismatchException.class);
        }
    }

    @Test
    void missingKeyIsAnHsmErrorNotATagMismatch() {
        String label = label("missing");
        Throwable sealing = catchThrowable(() -> hsm.seal(label, randomBytes(12), new byte[0], randomBytes(32)));
        Throwable opening = catchThrowable(() -> hsm.open(label, randomBytes(12), new byte[0], randomBytes(48)));
        Throwable deriving = catchThrowable(() -> hsm.deriveKey(label, derivationInput(randomBytes(12))));
        for (Throwable thrown : List.of(sealing, opening, deriving)) {
            assertThat(thrown).isInstanceOf(HsmException.class).isNotInstanceOf(HsmTagMismatchException.class)
                    .hasMessageContaining(label);
        }
    }

    // ---- imported material

    @Test
    void importedKeyOpensWhatJdkAesGcmSealedWithTheSameBytes() throws Exception {
        byte[] raw = randomBytes(32);
        String label = label("imported");
        try (SecretBytes material = SecretBytes.copyOf(raw)) {
            hsm.importAesKey(label, material);
        }
        byte[] iv = randomBytes(12);
        byte[] aad = "bucket=a".getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = randomBytes(100);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, iv));
        jdk.updateAAD(aad);
        byte[] sealedByJdk = jdk.doFinal(plaintext);

        assertThat(hsm.open(label, iv, aad, sealedByJdk)).isEqualTo(plaintext);

        byte[] iv2 = randomBytes(12);
        byte[] sealedByHsm = hsm.seal(label, iv2, aad, plaintext);
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, iv2));
        jdk.updateAAD(aad);
        assertThat(jdk.doFinal(sealedByHsm)).isEqualTo(plaintext);
    }

    @Test
    void importRefusesMaterialThatIsNotAnAes256Key() {
        for (int size : new int[] {0, 16, 24, 31, 33, 64}) {
            try (SecretBytes material = SecretBytes.copyOf(new byte[size])) {
                assertThatThrownBy(() -> hsm.importAesKey(label("bad-" + size), material))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(hsm.containsKey(label("bad-" + size))).isFalse();
        }
    }

    @Test
    void importLeavesTheCallersMaterialIntact() {
        byte[] raw = randomBytes(32);
        try (SecretBytes material = SecretBytes.copyOf(raw)) {
            hsm.importAesKey(label("imported"), material);
            assertThat(material.isDestroyed()).isFalse();
            assertThat(material.toByteArray(SecretAccess.explicitly())).isEqualTo(raw);
        }
    }

    // ---- key derivation

    @Test
    void derivedKeyIsAesEcbOfTheInputUnderTheMaterial() throws Exception {
        byte[] raw = randomBytes(32);
        String label = label("imported");
        try (SecretBytes material = SecretBytes.copyOf(raw)) {
            hsm.importAesKey(label, material);
        }
        byte[] input = derivationInput(randomBytes(12));
        Cipher jdk = Cipher.getInstance("AES/ECB/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"));

        try (SecretBytes derived = hsm.deriveKey(label, input)) {
            assertThat(derived.toByteArray(SecretAccess.explicitly())).isEqualTo(jdk.doFinal(input));
        }
    }

    @Test
    void derivationDependsOnKeyAndInput() throws Exception {
        hsm.generateAesKey(label("a"));
        hsm.generateAesKey(label("b"));
        byte[] input = derivationInput(randomBytes(12));
        try (SecretBytes a1 = hsm.deriveKey(label("a"), input);
             SecretBytes a2 = hsm.deriveKey(label("a"), input);
             SecretBytes b = hsm.deriveKey(label("b"), input);
             SecretBytes other = hsm.deriveKey(label("a"), derivationInput(randomBytes(12)))) {
            assertThat(a1.size()).isEqualTo(32);
            assertThat(a1.contentEquals(a2)).isTrue();
            assertThat(a1.contentEquals(b)).isFalse();
            assertThat(a1.contentEquals(other)).isFalse();
        }
    }

    @Test
    void derivationRefusesInputThatIsNotTwoDifferentBlocks() {
        hsm.generateAesKey(label("k"));
        for (byte[] input : List.of(new byte[0], new byte[16], new byte[31], new byte[33], new byte[48], new byte[32])) {
            assertThatThrownBy(() -> hsm.deriveKey(label("k"), input)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---- restart

    @Test
    void keysSurviveARestart() throws Exception {
        byte[] raw = randomBytes(32);
        hsm.generateAesKey(label("generated"));
        try (SecretBytes material = SecretBytes.copyOf(raw)) {
            hsm.importAesKey(label("imported"), material);
        }
        byte[] iv = randomBytes(12);
        byte[] plaintext = randomBytes(32);
        byte[] sealedByGenerated = hsm.seal(label("generated"), iv, new byte[0], plaintext);
        byte[] sealedByImported = hsm.seal(label("imported"), iv, new byte[0], plaintext);
        byte[] input = derivationInput(randomBytes(12));
        byte[] derivedBefore;
        try (SecretBytes derived = hsm.deriveKey(label("generated"), input)) {
            derivedBefore = derived.toByteArray(SecretAccess.explicitly());
        }
        byte[] data = "audit digest".getBytes(StandardCharsets.UTF_8);
        byte[] signature = hsm.sign(label("signing"), data);
        PublicKey publicKey = hsm.signingPublicKey(label("signing"));

        restart();

        assertThat(hsm.containsKey(label("generated"))).isTrue();
        assertThat(hsm.containsKey(label("imported"))).isTrue();
        assertThat(hsm.containsKey(label("signing"))).isTrue();
        assertThat(hsm.open(label("generated"), iv, new byte[0], sealedByGenerated)).isEqualTo(plaintext);
        assertThat(hsm.open(label("imported"), iv, new byte[0], sealedByImported)).isEqualTo(plaintext);
        try (SecretBytes derived = hsm.deriveKey(label("generated"), input)) {
            assertThat(derived.toByteArray(SecretAccess.explicitly())).isEqualTo(derivedBefore);
        }
        assertThat(hsm.signingPublicKey(label("signing")).getEncoded()).isEqualTo(publicKey.getEncoded());
        assertThat(hsm.verify(label("signing"), data, signature)).isTrue();
    }

    @Test
    void destroyedKeyStaysDestroyedAfterARestart() throws Exception {
        hsm.generateAesKey(label("k"));
        hsm.destroyKey(label("k"));
        restart();
        assertThat(hsm.containsKey(label("k"))).isFalse();
    }

    // ---- random

    @Test
    void randomReturnsTheRequestedNumberOfBytes() throws Exception {
        for (int length : new int[] {0, 1, 12, 32, 1024}) {
            assertThat(hsm.random(length)).hasSize(length);
        }
        assertThat(hsm.random(32)).isNotEqualTo(hsm.random(32));
        assertThatThrownBy(() -> hsm.random(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- signing

    @Test
    void signatureVerifies() throws Exception {
        byte[] data = "digest of audit records 1..1000".getBytes(StandardCharsets.UTF_8);
        byte[] signature = hsm.sign(label("signing"), data);
        assertThat(hsm.verify(label("signing"), data, signature)).isTrue();
        assertThat(hsm.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void tamperedDataOrSignatureFailsVerification() throws Exception {
        byte[] data = "digest of audit records 1..1000".getBytes(StandardCharsets.UTF_8);
        byte[] signature = hsm.sign(label("signing"), data);

        byte[] otherData = data.clone();
        otherData[0] ^= 1;
        assertThat(hsm.verify(label("signing"), otherData, signature)).isFalse();
        byte[] otherSignature = signature.clone();
        otherSignature[signature.length - 1] ^= 1;
        assertThat(hsm.verify(label("signing"), data, otherSignature)).isFalse();
        assertThat(hsm.verify(label("signing"), data, new byte[0])).isFalse();
        assertThat(hsm.verify(label("signing"), data, randomBytes(70))).isFalse();
    }

    @Test
    void signatureOfAnotherSigningKeyFailsVerification() throws Exception {
        byte[] data = randomBytes(32);
        byte[] signature = hsm.sign(label("signing-a"), data);
        hsm.sign(label("signing-b"), data);
        assertThat(hsm.verify(label("signing-b"), data, signature)).isFalse();
    }

    @Test
    void publicKeyVerifiesWithPlainJdkSignature() throws Exception {
        byte[] data = randomBytes(64);
        byte[] signature = hsm.sign(label("signing"), data);
        PublicKey published = hsm.signingPublicKey(label("signing"));
        // As an offline verifier would: from the encoded key, with the JDK's own provider.
        PublicKey decoded = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(published.getEncoded()));

        assertThat(decoded).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) decoded).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        Signature verifier = Signature.getInstance(hsm.signatureAlgorithm());
        verifier.initVerify(decoded);
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void signingKeyIsCreatedOnceAndKept() throws Exception {
        String label = label("signing");
        assertThat(hsm.containsKey(label)).isFalse();
        PublicKey first = hsm.signingPublicKey(label);
        assertThat(hsm.containsKey(label)).isTrue();
        hsm.sign(label, randomBytes(10));
        assertThat(hsm.signingPublicKey(label).getEncoded()).isEqualTo(first.getEncoded());
    }

    @Test
    void verifyingWithoutASigningKeyIsAnError() {
        assertThatThrownBy(() -> hsm.verify(label("no-such-signing-key"), randomBytes(8), randomBytes(70)))
                .isInstanceOf(HsmException.class).hasMessageContaining(label("no-such-signing-key"));
        assertThat(hsm.containsKey(label("no-such-signing-key"))).isFalse();
    }

    @Test
    void aesAndSigningKeysAreNotInterchangeable() throws Exception {
        hsm.generateAesKey(label("aes"));
        hsm.sign(label("signing"), randomBytes(8));

        assertThatThrownBy(() -> hsm.sign(label("aes"), randomBytes(8))).isInstanceOf(HsmException.class);
        assertThatThrownBy(() -> hsm.signingPublicKey(label("aes"))).isInstanceOf(HsmException.class);
        assertThatThrownBy(() -> hsm.seal(label("signing"), randomBytes(12), new byte[0], randomBytes(8)))
                .isInstanceOf(HsmException.class);
        assertThatThrownBy(() -> hsm.deriveKey(label("signing"), derivationInput(randomBytes(12))))
                .isInstanceOf(HsmException.class);
        assertThatThrownBy(() -> hsm.generateAesKey(label("signing"))).isInstanceOf(IllegalStateException.class);
    }

    // ---- concurrency

    @Test
    void eightThreadsSealAndOpenAtOnce() throws Exception {
        int threads = 8;
        int operationsPerThread = 200;
        List<String> labels = List.of(label("c0"), label("c1"), label("c2"), label("c3"));
        labels.forEach(hsm::generateAesKey);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    for (int i = 0; i < operationsPerThread; i++) {
                        String label = labels.get((thread + i) % labels.size());
                        byte[] plaintext = randomBytes(32);
                        byte[] aad = ("thread " + thread + " op " + i).getBytes(StandardCharsets.UTF_8);
                        byte[] iv = randomBytes(12);
                        byte[] sealed = hsm.seal(label, iv, aad, plaintext);
                        if (!Arrays.equals(hsm.open(label, iv, aad, sealed), plaintext)) {
                            throw new AssertionError("round trip failed under " + label);
                        }
                    }
                    return operationsPerThread;
                }));
            }
            int done = 0;
            for (Future<Integer> result : results) {
                done += result.get(120, TimeUnit.SECONDS);
            }
            assertThat(done).isEqualTo(threads * operationsPerThread);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- secrets stay out of text

    @Test
    void noSecretInDescriptionToStringOrMessages() throws Exception {
        byte[] raw = randomBytes(32);
        String label = label("imported");
        try (SecretBytes material = SecretBytes.copyOf(raw)) {
            hsm.importAesKey(label, material);
        }
        byte[] iv = randomBytes(12);
        byte[] sealed = hsm.seal(label, iv, new byte[0], randomBytes(32));
        sealed[0] ^= 1;
        List<String> texts = new ArrayList<>(List.of(hsm.description(), hsm.toString()));
        for (Throwable thrown : List.of(
                catchThrowable(() -> hsm.open(label, iv, new byte[0], sealed)),
                catchThrowable(() -> hsm.seal(label("missing"), iv, new byte[0], randomBytes(4))),
                catchThrowable(() -> hsm.sign(label, randomBytes(4))),
                catchThrowable(() -> hsm.verify(label("missing"), randomBytes(4), randomBytes(4))),
                catchThrowable(() -> hsm.generateAesKey(label)),
                catchThrowable(() -> hsm.seal(label, new byte[11], new byte[0], randomBytes(4))))) {
            assertThat(thrown).isNotNull();
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t.getMessage()));
                texts.add(t.toString());
            }
        }
        List<String> forbidden = new ArrayList<>(secretsThatMustNotLeak());
        forbidden.add(HexFormat.of().formatHex(raw));
        forbidden.add(HexFormat.of().withUpperCase().formatHex(raw));
        forbidden.add(Base64.getEncoder().encodeToString(raw));
        forbidden.add(new String(raw, StandardCharsets.ISO_8859_1));
        assertThat(hsm.description()).isNotBlank();
        for (String text : texts) {
            for (String secret : forbidden) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    // ---- arguments and lifecycle

    @Test
    void invalidArgumentsAreRefused() {
        for (String bad : List.of("", "has space", "new\nline", "quote'", "x".repeat(129), "ünïcode")) {
            assertThatThrownBy(() -> hsm.generateAesKey(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> hsm.containsKey(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        hsm.generateAesKey(label("k"));
        for (int ivLength : new int[] {0, 8, 11, 13, 16}) {
            assertThatThrownBy(() -> hsm.seal(label("k"), new byte[ivLength], new byte[0], new byte[1]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> hsm.open(label("k"), new byte[ivLength], new byte[0], new byte[17]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> hsm.seal(label("k"), randomBytes(12), null, new byte[1]))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hsm.generateAesKey(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void longestAllowedLabelWorks() throws Exception {
        String label = (labelPrefix + "/").concat("x".repeat(128)).substring(0, 128);
        hsm.generateAesKey(label);
        byte[] iv = randomBytes(12);
        assertThat(hsm.open(label, iv, new byte[0], hsm.seal(label, iv, new byte[0], new byte[] {7})))
                .containsExactly(7);
    }

    @Test
    void callsAfterCloseAreRefused() {
        hsm.generateAesKey(label("k"));
        hsm.close();
        assertThatThrownBy(() -> hsm.seal(label("k"), randomBytes(12), new byte[0], new byte[1]))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> hsm.containsKey(label("k"))).isInstanceOf(IllegalStateException.class);
        hsm.close(); // idempotent
    }
}

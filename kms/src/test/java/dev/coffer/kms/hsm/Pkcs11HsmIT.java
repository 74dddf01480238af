package dev.coffer.kms.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pkcs11Hsm} against fresh SoftHSM2 tokens ({@link SoftHsm2Fixture}): the contract, then what
 * only a token can show: the attributes of its objects as another process (OpenSC's pkcs11-tool)
 * reads them, finding the slot by label, and login failures.
 */
class Pkcs11HsmIT extends HsmContractTest {
    private static SoftHsm2Fixture softHsm;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void createTokens() throws Exception {
        softHsm = SoftHsm2Fixture.get();
    }

    @Override
    protected Hsm openHsm() throws Exception {
        return Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL, softHsm.pinFile());
    }

    @Override
    protected List<String> secretsThatMustNotLeak() {
        return List.of(SoftHsm2Fixture.PIN, SoftHsm2Fixture.SO_PIN);
    }

    private SoftHsm2Fixture.TokenObject tokenObject(String headingPrefix, String attribute, String value) throws Exception {
        List<SoftHsm2Fixture.TokenObject> objects = softHsm.listObjects(SoftHsm2Fixture.TOKEN_LABEL);
        return objects.stream()
                .filter(o -> o.heading().startsWith(headingPrefix) && value.equals(o.attributes().get(attribute)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("pkcs11-tool lists no " + headingPrefix + " with " + attribute
                        + " " + value + " among " + objects));
    }

    /** The key object as a separate SunPKCS11 provider of this JVM sees it (not through Pkcs11Hsm). */
    private Key keyThroughOwnProvider(String label) throws Exception {
        Pkcs11Slots.Token token = Pkcs11Slots.find(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL);
        Provider provider = Security.getProvider("SunPKCS11")
                .configure("--name = CofferHsmIT\nlibrary = " + SoftHsm2Fixture.LIBRARY + "\nslot = " + token.slotId() + "\n");
        KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
        keyStore.load(null, SoftHsm2Fixture.PIN.toCharArray());
        return keyStore.getKey(label, null);
    }

    // ---- what the token holds

    @Test
    void generatedKeyIsASensitiveNeverExtractableTokenObject() throws Exception {
        String label = label("generated");
        hsm.generateAesKey(label);

        SoftHsm2Fixture.TokenObject object = tokenObject("Secret Key Object; AES", "label", label);
        assertThat(object.access()).contains("sensitive", "always sensitive", "never extractable").doesNotContain("extractable");
        assertThat(object.attributes()).doesNotContainKey("VALUE");
        SoftHsm2Fixture.Result read = softHsm.pkcs11Tool(SoftHsm2Fixture.TOKEN_LABEL,
                "--read-object", "--type", "secrkey", "--label", label);
        assertThat(read.exitCode()).isNotZero();
        assertThat(read.stdout()).isEmpty();

        Key key = keyThroughOwnProvider(label);
        assertThat(key.getEncoded()).isNull();
        assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
    }

    @Test
    void importedKeyIsASensitiveUnextractableTokenObject() throws Exception {
        String label = label("imported");
        try (SecretBytes material = SecretBytes.copyOf(randomBytes(32))) {
            hsm.importAesKey(label, material);
        }

        SoftHsm2Fixture.TokenObject object = tokenObject("Secret Key Object; AES", "label", label);
        // Imported material was outside the token once: sensitive and unextractable from now on,
        // but rightly neither "always sensitive" nor "never extractable".
        assertThat(object.access()).contains("sensitive").doesNotContain("extractable");
        assertThat(object.attributes()).doesNotContainKey("VALUE");
        SoftHsm2Fixture.Result read = softHsm.pkcs11Tool(SoftHsm2Fixture.TOKEN_LABEL,
                "--read-object", "--type", "secrkey", "--label", label);
        assertThat(read.exitCode()).isNotZero();

        Key key = keyThroughOwnProvider(label);
        assertThat(key.getEncoded()).isNull();
        assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
    }

    @Test
    void signingKeyPairIsATokenPrivateKeyWithItsCertificate() throws Exception {
        String label = label("signing");
        hsm.sign(label, randomBytes(8));

        // SunPKCS11 stores a key entry as a private key with CKA_ID = alias and a certificate with
        // CKA_LABEL = alias and the same CKA_ID.
        String id = HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8));
        SoftHsm2Fixture.TokenObject privateKey = tokenObject("Private Key Object; EC", "ID", id);
        assertThat(privateKey.access()).contains("sensitive", "always sensitive", "never extractable")
                .doesNotContain("extractable");
        assertThat(privateKey.attributes()).doesNotContainKey("VALUE");
        assertThat(tokenObject("Certificate Object", "label", label).attributes()).containsEntry("ID", id);

        Key key = keyThroughOwnProvider(label);
        assertThat(key.getEncoded()).isNull();
        assertThat(key.toString()).contains("EC private key", "token object", "sensitive", "unextractable");
    }

    @Test
    void destroyedKeyIsGoneFromTheToken() throws Exception {
        String label = label("destroyed");
        hsm.generateAesKey(label);
        hsm.destroyKey(label);
        assertThat(softHsm.listObjects(SoftHsm2Fixture.TOKEN_LABEL)).noneMatch(o -> label.equals(o.label()));
    }

    // ---- finding the token

    @Test
    void theTokenIsFoundByItsLabelAmongSeveral() throws Exception {
        String label = label("only-on-main-token");
        hsm.generateAesKey(label);
        try (Pkcs11Hsm other = Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.OTHER_TOKEN_LABEL, softHsm.pinFile())) {
            assertThat(other.description()).contains("'" + SoftHsm2Fixture.OTHER_TOKEN_LABEL + "'");
            assertThat(other.containsKey(label)).isFalse();
        }
        assertThat(hsm.description()).contains("'" + SoftHsm2Fixture.TOKEN_LABEL + "'");
        assertThat(hsm.containsKey(label)).isTrue();
    }

    @Test
    void anUnknownTokenLabelIsRefusedNamingTheTokensThatExist() {
        assertThatThrownBy(() -> Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, "no-such-token", softHsm.pinFile()))
                .isInstanceOf(HsmException.class)
                .hasMessageContaining("'no-such-token'")
                .hasMessageContaining("'" + SoftHsm2Fixture.TOKEN_LABEL + "'");
    }

    @Test
    void aMissingLibraryIsRefused() {
        assertThatThrownBy(() -> Pkcs11Hsm.open(tempDir.resolve("missing.so"), SoftHsm2Fixture.TOKEN_LABEL, softHsm.pinFile()))
                .isInstanceOf(HsmException.class).hasMessageContaining("missing.so");
    }

    @Test
    void keysCreatedByAnotherInstanceAreFound() throws Exception {
        String label = label("made-elsewhere");
        try (Pkcs11Hsm other = Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL, softHsm.pinFile())) {
            other.generateAesKey(label);
            byte[] iv = randomBytes(12);
            byte[] sealed = other.seal(label, iv, new byte[0], new byte[] {5});
            assertThat(hsm.containsKey(label)).isTrue();
            assertThat(hsm.open(label, iv, new byte[0], sealed)).containsExactly(5);
        }
        // The other instance's close must not log this one out.
        byte[] iv = randomBytes(12);
        assertThat(hsm.open(label, iv, new byte[0], hsm.seal(label, iv, new byte[0], new byte[] {6}))).containsExactly(6);
    }

    // ---- login

    @Test
    void aWrongPinIsRefusedWithoutShowingAnyPin() throws Exception {
        // The other token: SunPKCS11 skips C_Login (and so the PIN check) when the process is
        // already logged in to a token, as it is to the main one during this test.
        String wrongPin = "wrong-pin-3e9a1c";
        Path pinFile = Files.writeString(tempDir.resolve("wrong.pin"), wrongPin + "\n");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.OTHER_TOKEN_LABEL, pinFile));

        assertThat(thrown).isInstanceOf(HsmException.class).hasMessageContaining("wrong PIN");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(wrongPin).doesNotContain(SoftHsm2Fixture.PIN);
        }
    }

    @Test
    void anEmptyPinFileIsRefused() throws Exception {
        Path pinFile = Files.writeString(tempDir.resolve("empty.pin"), "\n");
        assertThatThrownBy(() -> Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL, pinFile))
                .isInstanceOf(HsmException.class).hasMessageContaining("empty");
    }

    @Test
    void thePinCanBeGivenDirectly() throws Exception {
        char[] pin = SoftHsm2Fixture.PIN.toCharArray();
        try (Pkcs11Hsm direct = Pkcs11Hsm.open(SoftHsm2Fixture.LIBRARY, SoftHsm2Fixture.TOKEN_LABEL, pin)) {
            assertThat(direct.random(16)).hasSize(16);
        }
    }
}

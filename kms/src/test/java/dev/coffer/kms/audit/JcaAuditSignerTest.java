package dev.coffer.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JcaAuditSignerTest {
    private static final byte[] DATA = "digest bytes".getBytes(StandardCharsets.UTF_8);
    private final JcaAuditSigner signer = JcaAuditSigner.generateP256("audit/digest-signing");

    @Test
    void signsAndVerifiesWithEcdsaP256() {
        byte[] signature = signer.sign(DATA);

        assertThat(signer.verify(DATA, signature)).isTrue();
        assertThat(signer.algorithm()).isEqualTo("SHA256withECDSA");
        assertThat(signer.keyLabel()).isEqualTo("audit/digest-signing");
    }

    @Test
    void rejectsASignatureOfOtherData() {
        byte[] signature = signer.sign(DATA);

        assertThat(signer.verify("other bytes".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    }

    @Test
    void rejectsGarbageAsASignatureWithoutThrowing() {
        assertThat(signer.verify(DATA, new byte[] {1, 2, 3})).isFalse();
        assertThat(signer.verify(DATA, new byte[0])).isFalse();
    }

    @Test
    void rejectsASignatureMadeByAnotherKeyWithTheSameLabel() {
        JcaAuditSigner impostor = JcaAuditSigner.generateP256("audit/digest-signing");

        assertThat(signer.verify(DATA, impostor.sign(DATA))).isFalse();
    }

    @Test
    void aVerifyOnlySignerVerifiesButRefusesToSign() {
        JcaAuditSigner verifier = JcaAuditSigner.verifyOnly("audit/digest-signing", signer.publicKey());

        assertThat(verifier.verify(DATA, signer.sign(DATA))).isTrue();
        assertThatThrownBy(() -> verifier.sign(DATA)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toStringShowsNoKey() {
        assertThat(signer.toString()).isEqualTo("JcaAuditSigner[audit/digest-signing, SHA256withECDSA]");
    }
}

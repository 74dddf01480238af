package dev.coffer.crypto.archfixture;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.IntFunction;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Keeps the crypto layering rule while using what crypto code uses: arrays, records, lambdas, JCE. */
public final class JdkOnlyCipherFixture {
    private JdkOnlyCipherFixture() {}

    record Segment(int index, byte[] nonce, boolean last) {}

    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        IntFunction<Segment> segment = index -> new Segment(index, nonce.clone(), false);
        List<Segment> segments = List.of(segment.apply(0));
        cipher.updateAAD(new byte[] {(byte) segments.size()});
        return cipher.doFinal(plaintext);
    }
}

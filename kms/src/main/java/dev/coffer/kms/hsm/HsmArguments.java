package dev.coffer.kms.hsm;

import java.util.Objects;

/**
 * The argument rules every {@link Hsm} implementation applies, in one place so that a call valid for
 * the software HSM is valid for a token too. Labels appear in exception messages and logs, so they
 * are restricted to characters that cannot forge a log line or hide in one.
 */
final class HsmArguments {
    static final int MAX_LABEL_LENGTH_CHARS = 128;
    static final int GCM_IV_SIZE_BYTES = 12;
    static final int GCM_TAG_SIZE_BYTES = 16;

    private HsmArguments() {}

    /** Returns {@code label} if it is 1..128 characters of {@code [A-Za-z0-9._:/@+=-]}. */
    static String checkLabel(String label) {
        Objects.requireNonNull(label, "label");
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH_CHARS) {
            throw new IllegalArgumentException(
                    "HSM key label must be 1.." + MAX_LABEL_LENGTH_CHARS + " characters, got " + label.length());
        }
        for (int i = 0; i < label.length(); i++) {
            if (!allowedInLabel(label.charAt(i))) {
                throw new IllegalArgumentException(
                        "HSM key label has a character outside [A-Za-z0-9._:/@+=-] at index " + i);
            }
        }
        return label;
    }

    /** The arguments of {@link Hsm#seal} and {@link Hsm#open}: a valid label, a 12-byte IV, no nulls. */
    static void checkGcm(String label, byte[] iv, byte[] aad, byte[] data) {
        checkLabel(label);
        Objects.requireNonNull(iv, "iv");
        if (iv.length != GCM_IV_SIZE_BYTES) {
            throw new IllegalArgumentException("AES-GCM IV must be " + GCM_IV_SIZE_BYTES + " bytes, got " + iv.length);
        }
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(data, "data");
    }

    static final int DERIVATION_INPUT_SIZE_BYTES = 32;
    private static final int AES_BLOCK_SIZE_BYTES = 16;

    /** The input of {@link Hsm#deriveKey}: a valid label and two different AES blocks. */
    static void checkDerivation(String label, byte[] input) {
        checkLabel(label);
        Objects.requireNonNull(input, "input");
        if (input.length != DERIVATION_INPUT_SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "key derivation input must be " + DERIVATION_INPUT_SIZE_BYTES + " bytes, got " + input.length);
        }
        if (java.util.Arrays.equals(input, 0, AES_BLOCK_SIZE_BYTES, input, AES_BLOCK_SIZE_BYTES, input.length)) {
            throw new IllegalArgumentException("key derivation input has two equal blocks: both key halves would be equal");
        }
    }

    static void checkRandomLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("random length must not be negative, got " + length);
        }
    }

    private static boolean allowedInLabel(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '/' || c == '@' || c == '+' || c == '=' || c == '-';
    }
}

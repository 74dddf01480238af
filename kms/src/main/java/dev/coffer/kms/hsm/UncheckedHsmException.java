package dev.coffer.kms.hsm;

import java.util.Objects;

/**
 * An {@link HsmException} from a key-management call of {@link Hsm} ({@code generateAesKey},
 * {@code importAesKey}, {@code containsKey}, {@code destroyKey}), whose signatures declare no checked
 * exception; like {@link java.io.UncheckedIOException}, it only carries the checked one.
 */
public final class UncheckedHsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UncheckedHsmException(HsmException cause) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
    }

    @Override
    public synchronized HsmException getCause() {
        return (HsmException) super.getCause();
    }
}

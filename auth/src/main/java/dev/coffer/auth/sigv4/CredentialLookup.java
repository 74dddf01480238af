package dev.coffer.auth.sigv4;

import java.util.Optional;

/** The port through which the verifier finds an active access key's secret. */
@FunctionalInterface
public interface CredentialLookup<P> {
    Optional<SigningCredential<P>> find(String accessKeyId);
}

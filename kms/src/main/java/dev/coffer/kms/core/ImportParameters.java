package dev.coffer.kms.core;

import java.time.Instant;

/**
 * The outstanding import parameters of a key (GetParametersForImport): the RSA wrapping key pair,
 * whose private half is stored only sealed by the HSM, and the import token's identity.
 *
 * @param importTokenId the random id inside the import token
 * @param sealedPrivateKey the PKCS#8 private key, sealed by the HSM's internal key (base64)
 */
public record ImportParameters(String keyId, String importTokenId, String wrappingAlgorithm, String wrappingKeySpec,
                               String publicKey, String sealedPrivateKey, String sealIv, Instant validTo) {
}

package dev.coffer.kms.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A grant on a key: the grantee may perform the listed operations, within the constraints.
 *
 * @param encryptionContextSubset the request's context must contain these pairs (nullable)
 * @param encryptionContextEquals the request's context must equal this (nullable)
 */
public record KmsGrant(String grantId, String keyId, String name, String granteePrincipal, String retiringPrincipal,
                       String issuingAccount, List<String> operations, Map<String, String> encryptionContextSubset,
                       Map<String, String> encryptionContextEquals, Instant creationDate, String grantTokenDigest) {
    public KmsGrant {
        operations = List.copyOf(operations);
    }

    /** Whether this grant allows {@code operation} for a request carrying {@code context}. */
    public boolean allows(String operation, Map<String, String> context) {
        if (!operations.contains(operation)) {
            return false;
        }
        Map<String, String> ctx = context == null ? Map.of() : context;
        if (encryptionContextEquals != null && !encryptionContextEquals.equals(ctx)) {
            return false;
        }
        if (encryptionContextSubset != null) {
            for (Map.Entry<String, String> e : encryptionContextSubset.entrySet()) {
                if (!e.getValue().equals(ctx.get(e.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }
}

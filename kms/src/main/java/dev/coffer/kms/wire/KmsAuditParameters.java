package dev.coffer.kms.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsOperation;
import java.util.Map;
import java.util.Set;

/**
 * CloudTrail's requestParameters and responseElements for a KMS call: the wire JSON with member
 * names in camelCase, and every secret or bulky field left out (plaintext, ciphertext, key
 * material, import tokens, grant tokens, policies), as CloudTrail does.
 */
public final class KmsAuditParameters {
    private static final Set<String> OMITTED = Set.of("Plaintext", "CiphertextBlob", "EncryptedKeyMaterial", "ImportToken",
            "GrantTokens", "GrantToken", "Policy", "PublicKey", "CiphertextForRecipient", "Recipient");

    private KmsAuditParameters() {}

    /** The members the handler read, renamed and without secrets: unknown members never reach the trail. */
    public static ObjectNode requestParameters(KmsRequest request) {
        return camelCase(request.readMembers());
    }

    /** Cryptographic operations have null responseElements in CloudTrail; management ones show their results. */
    public static ObjectNode responseElements(KmsOperation op, ObjectNode response) {
        return switch (op) {
            case Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom,
                 DescribeKey, ListKeys, ListAliases, ListGrants, ListRetirableGrants, ListResourceTags, ListKeyPolicies,
                 ListKeyRotations, GetKeyPolicy, GetKeyRotationStatus -> null;
            default -> response.isEmpty() ? null : camelCase(response);
        };
    }

    private static ObjectNode camelCase(ObjectNode in) {
        ObjectNode out = KmsContext.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            if (OMITTED.contains(e.getKey())) {
                continue;
            }
            JsonNode value = e.getValue();
            // EncryptionContext keys are user data: keep them verbatim; only structure members are renamed.
            boolean userMap = e.getKey().endsWith("EncryptionContext") || e.getKey().startsWith("EncryptionContext");
            out.set(lowerFirst(e.getKey()), value instanceof ObjectNode o && !userMap ? camelCase(o) : value);
        }
        return out;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}

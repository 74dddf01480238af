package dev.coffer.kms.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The last line of defence against a caller bug that would put a secret into the audit trail. It
 * looks at field names, at any depth, of the free-form record sections (requestParameters,
 * responseElements, additionalEventData, serviceEventDetails):
 *
 * <ul>
 *   <li>a field whose name looks secret (plaintext, key material, import token, private key,
 *       password, secret, a message to sign or MAC, …) is refused: building the record throws;
 *   <li>a binary value anywhere is refused (raw bytes have no business in an audit record);
 *   <li>a field whose name contains "ciphertext" is dropped: ciphertext is not secret, but
 *       CloudTrail omits it (it is bulky and useless to an auditor), and so do we.
 * </ul>
 *
 * <p>Names are compared case-insensitively with '-' and '_' ignored. The keys of an encryption
 * context (and of grant constraints on one) are chosen by users and are not secret by definition
 * (AWS logs encryption contexts in the clear), so they are not checked as field names; their
 * values are still checked for binary content.
 */
final class SecretFieldGuard {
    /** Refused wherever they appear inside the name. */
    private static final List<String> SECRET_NAME_PARTS =
            List.of("plaintext", "secret", "password", "passphrase", "privatekey");
    /** Refused when the whole name is one of these. "KeyMaterialId" and "KeyMaterialDescription" stay allowed. */
    private static final Set<String> SECRET_NAMES = Set.of(
            "keymaterial", "encryptedkeymaterial", "importtoken", "sessiontoken", "message", "pin",
            "datakey", "keybytes", "rawkey");

    private SecretFieldGuard() {}

    /**
     * Returns a private deep copy of {@code section} with ciphertext fields removed, or null when
     * {@code section} is null or JSON null.
     *
     * @throws IllegalArgumentException naming the offending field path (never its value)
     */
    static ObjectNode sanitize(String sectionName, JsonNode section) {
        if (section == null || section.isNull() || section.isMissingNode()) {
            return null;
        }
        if (!section.isObject()) {
            throw new IllegalArgumentException(sectionName + " must be a JSON object");
        }
        ObjectNode copy = ((ObjectNode) section).deepCopy();
        scrub(copy, sectionName, false);
        return copy;
    }

    private static void scrub(JsonNode node, String path, boolean userChosenKeys) {
        if (node.isBinary() || node.isPojo()) {
            throw new IllegalArgumentException(
                    path + ": binary values are refused; audit records never carry key bytes or data");
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> dropped = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                String normalized = normalize(name);
                String childPath = path + "." + name;
                if (!userChosenKeys) {
                    if (normalized.contains("ciphertext")) {
                        dropped.add(name);
                        continue;
                    }
                    if (looksSecret(normalized)) {
                        throw new IllegalArgumentException(childPath
                                + ": field looks secret; audit records never carry plaintext, key material or secrets");
                    }
                }
                scrub(field.getValue(), childPath, isEncryptionContextMap(normalized));
            }
            object.remove(dropped);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scrub(node.get(i), path + "[" + i + "]", false);
            }
        }
    }

    static boolean looksSecret(String normalizedName) {
        if (SECRET_NAMES.contains(normalizedName)) {
            return true;
        }
        for (String part : SECRET_NAME_PARTS) {
            if (normalizedName.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEncryptionContextMap(String normalizedName) {
        return normalizedName.endsWith("encryptioncontext")
                || normalizedName.equals("encryptioncontextsubset")
                || normalizedName.equals("encryptioncontextequals");
    }

    static String normalize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-') {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}

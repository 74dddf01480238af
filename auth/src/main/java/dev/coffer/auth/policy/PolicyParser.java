package dev.coffer.auth.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON to {@link PolicyDocument}, with the validation and messages described there. */
final class PolicyParser {
    private static final String VERSION_2012 = "2012-10-17";
    private static final String VERSION_2008 = "2008-10-17";

    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");

    private static final ObjectMapper JSON = JsonMapper.builder(
                    JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Exact decimals keep a number's text as written ("2.50"), which string operators compare.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private PolicyParser() {
    }

    static PolicyDocument parse(String json, PolicyKind kind) throws MalformedPolicyException {
        JsonNode root = readJson(json);
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("Policy must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> element : root.properties()) {
            if (!POLICY_ELEMENTS.contains(element.getKey())) {
                throw new MalformedPolicyException("Policy has an unknown element '" + element.getKey() + "'");
            }
        }
        String version = optionalString(root, "Version", "Policy");
        if (version != null && !version.equals(VERSION_2012) && !version.equals(VERSION_2008)) {
            throw new MalformedPolicyException("Policy Version must be " + VERSION_2012 + " or " + VERSION_2008);
        }
        String id = optionalString(root, "Id", "Policy");
        boolean variablesEnabled = VERSION_2012.equals(version);

        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        List<JsonNode> statementNodes = statementNodes(root.get("Statement"));
        for (int i = 0; i < statementNodes.size(); i++) {
            Statement statement = new StatementParser(i + 1, kind, variablesEnabled).parse(statementNodes.get(i));
            if (statement.sid().isPresent() && !sids.add(statement.sid().get())) {
                throw new MalformedPolicyException("Statement " + (i + 1) + ": duplicate Sid '" + statement.sid().get() + "'");
            }
            statements.add(statement);
        }
        return new PolicyDocument(json, kind, version, id, statements);
    }

    private static JsonNode readJson(String json) throws MalformedPolicyException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new MalformedPolicyException("Policy is not valid JSON: " + e.getOriginalMessage() + where);
        }
    }

    private static List<JsonNode> statementNodes(JsonNode statement) throws MalformedPolicyException {
        if (statement == null) {
            throw new MalformedPolicyException("Policy has no Statement");
        }
        if (statement.isObject()) {
            return List.of(statement);
        }
        if (!statement.isArray()) {
            throw new MalformedPolicyException("Policy Statement must be an object or an array of objects");
        }
        if (statement.isEmpty()) {
            throw new MalformedPolicyException("Policy Statement must not be empty");
        }
        List<JsonNode> nodes = new ArrayList<>();
        statement.forEach(nodes::add);
        return nodes;
    }

    private static String optionalString(JsonNode node, String field, String where) throws MalformedPolicyException {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedPolicyException(where + " " + field + " must be a string");
        }
        return value.textValue();
    }
}

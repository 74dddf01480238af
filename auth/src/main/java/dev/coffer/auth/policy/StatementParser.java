package dev.coffer.auth.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one statement of a policy (see {@link PolicyDocument} for the grammar); every message starts
 * with "Statement N:", N counting from 1.
 */
final class StatementParser {
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9*?-]+:[A-Za-z0-9_*?-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ROOT_ARN = Pattern.compile("arn:[^:]+:iam::(\\d{12}):root");
    // Tag keys may contain spaces ("aws:ResourceTag/Cost Center"), so only the service prefix is checked.
    private static final Pattern CONDITION_KEY = Pattern.compile("[^:\\s]+:.+");
    private static final String IF_EXISTS = "IfExists";

    private final int number;
    private final PolicyKind kind;
    private final boolean variablesEnabled;

    StatementParser(int number, PolicyKind kind, boolean variablesEnabled) {
        this.number = number;
        this.kind = kind;
        this.variablesEnabled = variablesEnabled;
    }

    private MalformedPolicyException error(String message) {
        return new MalformedPolicyException("Statement " + number + ": " + message);
    }

    Statement parse(JsonNode node) throws MalformedPolicyException {
        if (!node.isObject()) {
            throw error("must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> element : node.properties()) {
            if (!STATEMENT_ELEMENTS.contains(element.getKey())) {
                throw error("unknown element '" + element.getKey() + "'");
            }
        }
        JsonNode sid = node.get("Sid");
        if (sid != null && !sid.isTextual()) {
            throw error("Sid must be a string");
        }
        return new Statement(sid == null ? null : sid.textValue(), effect(node), principal(node), action(node),
                resource(node), conditions(node.get("Condition")));
    }

    private Effect effect(JsonNode node) throws MalformedPolicyException {
        JsonNode effect = node.get("Effect");
        if (effect == null) {
            throw error("missing Effect");
        }
        for (Effect e : Effect.values()) {
            if (effect.isTextual() && e.awsName().equals(effect.textValue())) {
                return e;
            }
        }
        throw error("Effect must be Allow or Deny");
    }

    /** The one present of {@code positive} and {@code negative}; null if neither is. */
    private String exactlyOne(JsonNode node, String positive, String negative, boolean required)
            throws MalformedPolicyException {
        boolean hasPositive = node.has(positive);
        boolean hasNegative = node.has(negative);
        if (hasPositive && hasNegative) {
            throw error("has both " + positive + " and " + negative);
        }
        if (!hasPositive && !hasNegative) {
            if (required) {
                throw error("missing " + positive + " or " + negative);
            }
            return null;
        }
        return hasPositive ? positive : negative;
    }

    private ActionMatcher action(JsonNode node) throws MalformedPolicyException {
        String field = exactlyOne(node, "Action", "NotAction", true);
        List<String> actions = stringList(node.get(field), field);
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw error(field + " '" + action + "' must be '*' or service:action, e.g. kms:Decrypt");
            }
        }
        return new ActionMatcher(field.equals("NotAction"), actions);
    }

    private ResourceMatcher resource(JsonNode node) throws MalformedPolicyException {
        String field = exactlyOne(node, "Resource", "NotResource", true);
        List<PolicyTemplate> patterns = new ArrayList<>();
        for (String resource : stringList(node.get(field), field)) {
            PolicyTemplate pattern = PolicyTemplate.parse(resource, variablesEnabled);
            String shape = pattern.textOutsideVariables();
            if (!shape.equals("*") && !(shape.startsWith("arn:") && shape.chars().filter(c -> c == ':').count() >= 5)) {
                throw error(field + " '" + resource + "' must be '*' or an ARN");
            }
            patterns.add(pattern);
        }
        return new ResourceMatcher(field.equals("NotResource"), patterns);
    }

    private PrincipalMatcher principal(JsonNode node) throws MalformedPolicyException {
        String field = exactlyOne(node, "Principal", "NotPrincipal", kind == PolicyKind.RESOURCE);
        if (field == null) {
            return null;
        }
        if (kind == PolicyKind.IDENTITY) {
            throw error("an identity policy must not specify " + field);
        }
        JsonNode value = node.get(field);
        List<PrincipalMatcher.Entry> entries = new ArrayList<>();
        if (value.isTextual() && value.textValue().equals("*")) {
            entries.add(new PrincipalMatcher.Everyone());
        } else if (value.isObject() && !value.isEmpty()) {
            for (Map.Entry<String, JsonNode> typed : value.properties()) {
                for (String name : stringList(typed.getValue(), field + " " + typed.getKey())) {
                    entries.add(principalEntry(field, typed.getKey(), name));
                }
            }
        } else {
            throw error(field + " must be \"*\" or an object such as {\"AWS\": \"111122223333\"}");
        }
        return new PrincipalMatcher(field.equals("NotPrincipal"), entries);
    }

    private PrincipalMatcher.Entry principalEntry(String field, String type, String name)
            throws MalformedPolicyException {
        switch (type) {
            case "AWS" -> {
                if (name.equals("*")) {
                    return new PrincipalMatcher.Everyone();
                }
                if (ACCOUNT_ID.matcher(name).matches()) {
                    return new PrincipalMatcher.Account(name);
                }
                Matcher root = ROOT_ARN.matcher(name);
                if (root.matches()) {
                    return new PrincipalMatcher.Account(root.group(1));
                }
                if (name.contains("*") || name.contains("?")) {
                    throw error(field + " AWS '" + name + "' must not contain wildcards (only \"*\" alone names everyone)");
                }
                if (name.startsWith("arn:") && name.chars().filter(c -> c == ':').count() >= 5) {
                    return new PrincipalMatcher.Arn(name);
                }
                throw error(field + " AWS '" + name + "' must be \"*\", a 12-digit account id or an ARN");
            }
            case "Service" -> {
                if (name.isBlank() || name.contains("*") || name.contains("?")) {
                    throw error(field + " Service '" + name + "' must be a service principal such as s3.amazonaws.com");
                }
                return new PrincipalMatcher.Service(name);
            }
            case "Federated", "CanonicalUser" -> throw error(field + " type '" + type + "' is not supported");
            default -> throw error(field + " has an unknown principal type '" + type + "'");
        }
    }

    private List<Condition> conditions(JsonNode node) throws MalformedPolicyException {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw error("Condition must be an object of condition operators");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operatorBlock : node.properties()) {
            String operatorName = operatorBlock.getKey();
            JsonNode keys = operatorBlock.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                throw error("condition operator '" + operatorName + "' must map condition keys to values");
            }
            for (Map.Entry<String, JsonNode> keyValues : keys.properties()) {
                conditions.add(condition(operatorName, keyValues.getKey(), keyValues.getValue()));
            }
        }
        return conditions;
    }

    private Condition condition(String operatorName, String key, JsonNode valueNode) throws MalformedPolicyException {
        String name = operatorName;
        SetOperator setOperator = SetOperator.NONE;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String prefix = name.substring(0, colon);
            setOperator = SetOperator.fromAwsName(prefix)
                    .orElseThrow(() -> error("unsupported condition set operator '" + prefix + "' in '" + operatorName + "'"));
            name = name.substring(colon + 1);
        }
        boolean ifExists = name.length() > IF_EXISTS.length()
                && name.regionMatches(true, name.length() - IF_EXISTS.length(), IF_EXISTS, 0, IF_EXISTS.length());
        if (ifExists) {
            name = name.substring(0, name.length() - IF_EXISTS.length());
        }
        ConditionOperator operator = ConditionOperator.fromAwsName(name)
                .orElseThrow(() -> error("unsupported condition operator '" + operatorName + "'"));
        if (operator == ConditionOperator.NULL && (ifExists || setOperator != SetOperator.NONE)) {
            throw error("unsupported condition operator '" + operatorName + "': Null takes neither IfExists nor a set operator");
        }
        if (!CONDITION_KEY.matcher(key).matches()) {
            throw error("condition key '" + key + "' must be prefixed by its service, e.g. aws:SourceIp");
        }
        List<String> values = conditionValues(valueNode, operatorName, key);
        List<ConditionValue> parsed = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                parsed.add(operator.parseValue(value, variablesEnabled));
            } catch (IllegalArgumentException e) {
                throw error("condition " + operatorName + " on " + key + ": " + e.getMessage());
            }
        }
        return new Condition(operator, setOperator, ifExists, key, values, parsed);
    }

    /* Condition values may be JSON strings, numbers or booleans, alone or in an array (even an empty one). */
    private List<String> conditionValues(JsonNode node, String operatorName, String key) throws MalformedPolicyException {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        List<String> values = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (item.isTextual() || item.isBoolean()) {
                values.add(item.asText());
            } else if (item.isIntegralNumber()) {
                values.add(item.bigIntegerValue().toString());
            } else if (item.isNumber()) {
                values.add(item.decimalValue().toPlainString());
            } else {
                throw error("condition " + operatorName + " on " + key
                        + " must have a string, number or boolean value, or an array of them");
            }
        }
        return values;
    }

    private List<String> stringList(JsonNode node, String field) throws MalformedPolicyException {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw error(field + " must be a string or a non-empty array of strings");
                }
                values.add(item.textValue());
            }
        } else {
            throw error(field + " must be a string or a non-empty array of strings");
        }
        return values;
    }
}

package dev.coffer.auth.iam;

import dev.coffer.auth.service.QueryParameters;
import dev.coffer.auth.service.ServiceRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated parameters of one IAM action. Query API parameters arrive form-encoded in the body
 * of a POST ({@code Content-Type: application/x-www-form-urlencoded}) or in the query string (of a
 * GET, or of a POST as well); both are read, and a name given twice is refused rather than one
 * value silently winning.
 *
 * <p>Every parameter the action declares is checked against its model constraints before anything
 * else happens, and all violations are reported at once, as AWS does. Parameters the action does
 * not declare are ignored (AWS ignores them too), except the ones whose silent loss would change
 * what a request means: permissions boundaries and tags, which Coffer does not implement.
 */
public final class IamRequest {
    /** ListUsers, ListAccessKeys and ListUserPolicies return this many items when MaxItems is absent. */
    public static final int DEFAULT_MAX_ITEMS = 100;

    private final IamOperation operation;
    private final Map<IamParameter, String> values;

    private IamRequest(IamOperation operation, Map<IamParameter, String> values) {
        this.operation = operation;
        this.values = values;
    }

    /**
     * Reads the raw parameters of a request: the query string, then (for POST) the form body.
     *
     * @throws IamException ValidationError if the encoding is broken or a name repeats
     */
    static Map<String, String> parameters(ServiceRequest request) {
        try {
            return QueryParameters.read(request, QueryParameters.Repeats.REFUSED);
        } catch (QueryParameters.Malformed e) {
            throw new IamException(IamError.VALIDATION_ERROR, switch (e.problem()) {
                case NOT_A_FORM -> "The request body must be " + QueryParameters.FORM_CONTENT_TYPE + "; charset=utf-8.";
                case BAD_ENCODING -> "The request parameters are not validly URL-encoded.";
                case REPEATED -> "The parameter " + e.parameterName() + " appears more than once.";
            });
        }
    }

    /**
     * Checks {@code parameters} against what {@code operation} declares.
     *
     * @throws IamException ValidationError naming every violated constraint, or InvalidInput for a
     *     feature Coffer does not implement
     */
    static IamRequest of(IamOperation operation, Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (name.equals("PermissionsBoundary") || name.startsWith("Tags.")) {
                throw new IamException(IamError.INVALID_INPUT,
                        "Coffer IAM does not support " + (name.startsWith("Tags.") ? "tags" : "permissions boundaries") + ".");
            }
        }
        Map<IamParameter, String> values = new EnumMap<>(IamParameter.class);
        List<String> violations = new ArrayList<>();
        for (IamParameter p : operation.required()) {
            String value = parameters.get(p.wireName());
            if (value == null) {
                violations.add("Value null at '" + p.memberName() + "' failed to satisfy constraint: Member must not be null");
            } else {
                check(p, value, values, violations);
            }
        }
        for (IamParameter p : operation.optional()) {
            String value = parameters.get(p.wireName());
            if (value != null) {
                check(p, value, values, violations);
            }
        }
        if (!violations.isEmpty()) {
            throw new IamException(IamError.VALIDATION_ERROR, violations.size() + " validation error"
                    + (violations.size() == 1 ? "" : "s") + " detected: " + String.join("; ", violations));
        }
        return new IamRequest(operation, values);
    }

    private static void check(IamParameter p, String value, Map<IamParameter, String> values, List<String> violations) {
        Optional<String> violation = p.violation(value);
        if (violation.isPresent()) {
            violations.add((p.echoedInMessages() ? "Value '" + value + "' at '" : "Value at '") + p.memberName()
                    + "' failed to satisfy constraint: " + violation.get());
        } else {
            values.put(p, value);
        }
    }

    public IamOperation operation() {
        return operation;
    }

    /** A parameter's value, if the request has it. */
    public Optional<String> optional(IamParameter parameter) {
        return Optional.ofNullable(values.get(parameter));
    }

    /** A parameter the action requires; validation has made sure it is there. */
    public String required(IamParameter parameter) {
        if (!operation.required().contains(parameter)) {
            throw new IllegalArgumentException(parameter + " is not a required parameter of " + operation);
        }
        return Objects.requireNonNull(values.get(parameter), parameter.wireName());
    }

    /** The UserName parameter, whichever of its two shapes the action declares. */
    public Optional<String> userName() {
        return optional(IamParameter.USER_NAME).or(() -> optional(IamParameter.NEW_USER_NAME));
    }

    /** MaxItems, or {@link #DEFAULT_MAX_ITEMS}. */
    public int maxItems() {
        return optional(IamParameter.MAX_ITEMS).map(v -> Integer.parseInt(v.strip())).orElse(DEFAULT_MAX_ITEMS);
    }

    /** Names the action and which parameters it has, not their values. */
    @Override
    public String toString() {
        return "IamRequest[" + operation + " " + values.keySet() + "]";
    }
}

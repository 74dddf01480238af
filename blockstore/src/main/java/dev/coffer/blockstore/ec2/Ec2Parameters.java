package dev.coffer.blockstore.ec2;

import dev.coffer.auth.service.QueryParameters;
import dev.coffer.auth.service.ServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one EC2 Query request, with the EC2 protocol's encodings: scalars by name
 * ({@code Size=8}), lists flattened with 1-based indexes ({@code VolumeId.1}), structures in lists
 * by member ({@code Filter.1.Name}, {@code Filter.1.Value.1}, {@code TagSpecification.1.Tag.1.Key}).
 * They arrive form-encoded in a POST body or in the query string; both are read. A name given twice
 * with different values is refused rather than one value silently winning; given twice with the
 * same value it is accepted, because the AWS SDK for Java adds {@code DestinationRegion} (and
 * {@code PresignedUrl}) of CopySnapshot to the query string of a request whose body has them too. Parameters an action does not use are
 * ignored, as EC2 does for most of them.
 */
public final class Ec2Parameters {
    private final Map<String, String> values;

    Ec2Parameters(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Reads the query string, then (for POST) the form body. */
    static Ec2Parameters of(ServiceRequest request) {
        try {
            return new Ec2Parameters(QueryParameters.read(request, QueryParameters.Repeats.EQUAL_VALUES_ACCEPTED));
        } catch (QueryParameters.Malformed e) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, switch (e.problem()) {
                case NOT_A_FORM -> "The request body must be " + QueryParameters.FORM_CONTENT_TYPE + ".";
                case BAD_ENCODING -> "The request parameters are not validly URL-encoded.";
                case REPEATED -> "The parameter " + e.parameterName() + " appears more than once.";
            });
        }
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter " + name);
        }
        return value;
    }

    /** A boolean: {@code true} or {@code false}, in any case, as EC2 accepts. */
    public Optional<Boolean> bool(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw invalid(name, value, "Expected: 'true' or 'false'.");
        };
    }

    public boolean flag(String name) {
        return bool(name).orElse(false);
    }

    public Optional<Integer> integer(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw invalid(name, value, "Expected an integer.");
        }
    }

    /** A flattened list {@code prefix.1}, {@code prefix.2}, ... in index order. */
    public List<String> list(String prefix) {
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "\\.(\\d{1,6})");
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Matcher m = p.matcher(e.getKey());
            if (m.matches()) {
                byIndex.put(Integer.parseInt(m.group(1)), e.getValue());
            }
        }
        return List.copyOf(byIndex.values());
    }

    /** {@code Filter.N.Name} with {@code Filter.N.Value.M}. */
    public List<Ec2Filter> filters() {
        List<Ec2Filter> out = new ArrayList<>();
        for (int index : indexes("Filter")) {
            String name = values.get("Filter." + index + ".Name");
            if (name == null || name.isEmpty()) {
                throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter Filter." + index + ".Name");
            }
            out.add(new Ec2Filter(name, list("Filter." + index + ".Value")));
        }
        return out;
    }

    /** Tags {@code prefix.N.Key} / {@code prefix.N.Value}; a missing value is empty (or absent, for DeleteTags). */
    public List<Ec2Tag> tags(String prefix, boolean valueOptional) {
        List<Ec2Tag> out = new ArrayList<>();
        for (int index : indexes(prefix)) {
            String key = values.get(prefix + "." + index + ".Key");
            if (key == null) {
                throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter " + prefix + "." + index + ".Key");
            }
            String value = values.get(prefix + "." + index + ".Value");
            out.add(new Ec2Tag(key, value == null && !valueOptional ? "" : value));
        }
        return out;
    }

    /** The tags of the {@code TagSpecification}s for {@code resourceType}; a specification for another type is refused. */
    public List<Ec2Tag> tagSpecifications(String resourceType) {
        List<Ec2Tag> out = new ArrayList<>();
        for (int index : indexes("TagSpecification")) {
            String type = values.get("TagSpecification." + index + ".ResourceType");
            if (type == null) {
                throw new Ec2Exception(Ec2Error.MISSING_PARAMETER,
                        "The request must contain the parameter TagSpecification." + index + ".ResourceType");
            }
            if (!type.equals(resourceType)) {
                throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE,
                        "'" + type + "' is not a valid taggable resource type for this operation.");
            }
            out.addAll(tags("TagSpecification." + index + ".Tag", false));
        }
        Ec2Tag.validate(out);
        return out;
    }

    /** The distinct indexes N of parameters named {@code prefix.N.<something>}, in order. */
    private List<Integer> indexes(String prefix) {
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "\\.(\\d{1,6})\\..+");
        TreeMap<Integer, Boolean> seen = new TreeMap<>();
        for (String name : values.keySet()) {
            Matcher m = p.matcher(name);
            if (m.matches()) {
                seen.put(Integer.parseInt(m.group(1)), true);
            }
        }
        return List.copyOf(seen.keySet());
    }

    static Ec2Exception invalid(String name, String value, String expectation) {
        return new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE,
                "Value (" + value + ") for parameter " + name + " is invalid. " + expectation);
    }

    /** Names the parameters, not their values. */
    @Override
    public String toString() {
        return "Ec2Parameters" + values.keySet();
    }
}

package dev.coffer.gateway.config;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, each one line naming its setting,
 * so a user fixes them all in one pass instead of one per start.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the setting it is about. */
    public List<String> problems() {
        return problems;
    }
}

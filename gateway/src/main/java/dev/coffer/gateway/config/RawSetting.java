package dev.coffer.gateway.config;

/**
 * A setting's value as the user wrote it (trimmed), and where it came from, so an error can say
 * which of the four layers to fix.
 *
 * @param setting the setting
 * @param text    the trimmed value; empty means "explicitly nothing" for settings without a default
 * @param origin  where it was set, e.g. "the environment"; empty for a built-in default
 */
record RawSetting(ServeSetting setting, String text, String origin) {

    /** "got 70000 (from the environment)": the tail of an error message about this value. */
    String got() {
        String shown = text.isEmpty() ? "\"\"" : text;
        return origin.isEmpty() ? "got " + shown : "got " + shown + " (from " + origin + ")";
    }
}

package dev.coffer.gateway.runtime;

/**
 * {@code coffer serve} could not start, for a reason the user can act on. The message is complete,
 * one line, and names the setting involved; the CLI prints it without a stack trace.
 */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

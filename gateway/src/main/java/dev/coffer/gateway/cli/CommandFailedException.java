package dev.coffer.gateway.cli;

/**
 * A command other than serve could not do its job for a reason the user can act on (the gateway is
 * not reachable, the HSM is in use, the service refused the call). The message is complete and one
 * line; the CLI prints it after {@code coffer: } and exits with 1, without a stack trace unless asked.
 */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

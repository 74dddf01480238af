package dev.coffer.gateway.cli;

import dev.coffer.gateway.runtime.Gateway;
import java.io.PrintWriter;

/**
 * Stops the gateway when the JVM is asked to exit (SIGINT, SIGTERM), and reports that as success.
 *
 * <p>A JVM ended by a signal exits with 128 + the signal number (143 for SIGTERM), which supervisors
 * and scripts read as a failure. A stop that was asked for and completed cleanly is a success, so
 * after closing everything the hook halts with 0. {@code halt} is the only way to choose the status
 * once shutdown has begun ({@code System.exit} would block forever inside a hook), and no other
 * shutdown hook of this process needs to run after this one.
 */
final class StopOnSignal {
    private final Thread hook;
    private volatile boolean requested;

    private StopOnSignal(Gateway gateway, PrintWriter out) {
        this.hook = new Thread(() -> stop(gateway, out), "coffer-stop");
    }

    static StopOnSignal install(Gateway gateway, PrintWriter out) {
        StopOnSignal stop = new StopOnSignal(gateway, out);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Whether the gateway is stopping because the process was asked to exit. */
    boolean requested() {
        return requested;
    }

    /** For a gateway that stopped by itself: the process then exits with the failure status it chooses. */
    void uninstall() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it will stop the gateway and decide the status.
        }
    }

    private void stop(Gateway gateway, PrintWriter out) {
        requested = true;
        gateway.close();
        out.println("coffer: stopped");
        out.flush();
        Runtime.getRuntime().halt(0);
    }
}

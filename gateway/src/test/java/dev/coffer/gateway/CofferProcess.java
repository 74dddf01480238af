package dev.coffer.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code coffer} process, started the way {@code ./coffer} starts it: {@code java -jar} on the
 * packaged jar (its manifest puts {@code lib/} on the class path). Falls back to this JVM's class path
 * when the jar is not there, e.g. when run from an IDE before {@code mvn package}.
 */
final class CofferProcess implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private CofferProcess(Process process) {
        this.process = process;
        this.stdoutReader = Thread.ofPlatform().daemon().start(() -> collect(process.getInputStream(), stdout));
        this.stderrReader = Thread.ofPlatform().daemon().start(() -> collect(process.getErrorStream(), stderr));
    }

    /**
     * Starts {@code coffer args...} in {@code workingDirectory}, with no inherited {@code COFFER_*} or
     * JVM-options variables (they would change what is tested) but with {@code environment} added.
     */
    static CofferProcess start(Path workingDirectory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        String jar = System.getProperty("coffer.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CofferMain.class.getName()));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("COFFER_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        try {
            return new CofferProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static void collect(InputStream stream, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process went away; what was read is kept.
        }
    }

    /** Waits for a stdout line matching {@code condition}; fails with everything printed so far. */
    String awaitStdoutLine(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (true) {
                for (String line : stdout) {
                    if (condition.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !stdoutReader.isAlive())) {
                    throw new AssertionError("no expected line on stdout; stdout: " + stdout + "; stderr: " + stderr());
                }
                TimeUnit.NANOSECONDS.timedWait(stdout, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /** Waits for the exit and for both streams to be read to the end; returns the exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("coffer did not exit within " + timeout + "; stdout: " + stdout());
        }
        stdoutReader.join(timeout.toMillis());
        stderrReader.join(timeout.toMillis());
        return process.exitValue();
    }

    /**
     * Sends SIGTERM, as a supervisor or {@code kill} would. Through the process handle, because
     * {@code Process.destroy()} sends the same signal but also closes our ends of the pipes, losing
     * whatever the process prints while it stops.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

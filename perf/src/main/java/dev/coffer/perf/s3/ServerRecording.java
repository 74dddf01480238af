package dev.coffer.perf.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JFR recording of one server over one row's timed rounds, started and dumped with {@code jcmd}
 * so that start-up and warm-up stay out of the profile. Uses the {@code profile} settings (allocation
 * and lock events) with execution samples every 2 ms, JDK 25's CPU-time samples (JEP 509, every 1 ms
 * of CPU a thread uses, including time in native code), every file force and every file write or
 * read over 1 ms, which is where a durable PUT waits.
 */
final class ServerRecording {
    private static final List<String> EXTRA_SETTINGS = List.of("jdk.ExecutionSample#period=2ms",
            "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms", "jdk.FileForce#threshold=0ms",
            "jdk.FileWrite#threshold=1ms", "jdk.FileRead#threshold=1ms", "jdk.SocketRead#threshold=1ms",
            "jdk.SocketWrite#threshold=1ms");

    private ServerRecording() {}

    static void start(S3ServerProcess server, String row, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve(row + "-" + server.name().toLowerCase(Locale.ROOT) + ".jfr");
        List<String> command = new ArrayList<>(List.of("JFR.start", "name=" + name(row), "settings=profile",
                "filename=" + file));
        command.addAll(EXTRA_SETTINGS);
        jcmd(server, command);
    }

    static void stop(S3ServerProcess server, String row) throws IOException, InterruptedException {
        jcmd(server, List.of("JFR.stop", "name=" + name(row)));
    }

    private static String name(String row) {
        return "s3bench-" + row;
    }

    private static void jcmd(S3ServerProcess server, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.pid())));
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || out.contains("Could not") || out.contains("Exception")) {
            throw new IllegalStateException("jcmd " + arguments + " on " + server.name() + " failed: " + out);
        }
    }
}

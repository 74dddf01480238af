package dev.coffer.perf.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data disk's durable sequential write speed: {@code dd if=/dev/zero bs=1M count=1024
 * conv=fdatasync} into a file beside the servers' data, as the issue defines the ceiling for a durable
 * PUT. MB are 10^6 bytes, as dd prints them.
 */
final class DiskWriteSpeed {
    private static final Pattern RATE = Pattern.compile("([0-9.]+) ([kMGT]?B)/s");

    private DiskWriteSpeed() {}

    /** Runs dd once in {@code dir} and returns MB/s; the file is removed afterwards. */
    static double measureMegabytesPerSecond(Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("dd-write-test");
        ProcessBuilder builder = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=1024",
                "conv=fdatasync").redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        Process dd = builder.start();
        String output = new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = dd.waitFor();
        Files.deleteIfExists(file);
        if (exit != 0) {
            throw new IllegalStateException("dd failed (" + exit + "): " + output);
        }
        return parseMegabytesPerSecond(output);
    }

    static double parseMegabytesPerSecond(String ddOutput) {
        Matcher m = RATE.matcher(ddOutput);
        Double last = null;
        while (m.find()) {
            double value = Double.parseDouble(m.group(1));
            last = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "B" -> value / 1e6;
                case "KB" -> value / 1e3;
                case "MB" -> value;
                case "GB" -> value * 1e3;
                case "TB" -> value * 1e6;
                default -> throw new IllegalArgumentException(m.group());
            };
        }
        if (last == null) {
            throw new IllegalStateException("no rate in dd's output: " + ddOutput);
        }
        return last;
    }
}

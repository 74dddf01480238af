package dev.coffer.kms.audit;

import dev.coffer.kms.audit.TrailLayout.FileKey;
import dev.coffer.kms.audit.TrailLayout.Listing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail writer: appends {@link AuditRecord}s as JSON lines to hourly files and seals each
 * file with a signed digest that chains to the previous one (docs/formats/audit-trail-v1.md).
 *
 * <p><b>Durability.</b> {@link #append} returns only once the record's line has been written and
 * forced to stable storage. One writer thread owns the files: appenders hand it their lines and wait;
 * it writes every line waiting in the queue, forces once, and releases them all (group commit), so
 * many concurrent appenders share one fsync and lines never interleave. A record that cannot be made
 * durable makes {@code append} throw; the KMS must then fail the call (no audit, no operation).
 *
 * <p><b>Hours.</b> A record goes into the file of the hour the trail's {@link Clock} shows when the
 * writer writes it. When that hour has passed (seen on the next append, or by the writer's idle check
 * about every {@value #IDLE_CHECK_SECONDS} s, or by {@link #rollOver()}) and at {@link #close()}, the
 * file is forced, closed, and its digest written. The digest hashes the bytes the writer wrote, as it
 * wrote them, not a re-read of the file. If signing fails (HSM unavailable), records keep flowing into
 * the next file and the digests are written, in order, as soon as signing works again.
 *
 * <p><b>Recovery.</b> Opening a trail takes an exclusive lock on the directory, deletes digest
 * temporaries that were never published, and writes a {@code "recovered": true} digest for every log
 * file newer than the newest digest (the file that was open when the process stopped), after cutting
 * off a torn partial last line, whose append never returned. The chain then continues from it.
 *
 * <p>Thread-safe.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    static final long IDLE_CHECK_SECONDS = 15;
    private static final Duration IDLE_CHECK_PERIOD = Duration.ofSeconds(IDLE_CHECK_SECONDS);
    private static final int MAX_BATCH = 4096;

    /** Counters for metrics and tests. {@code forces <= recordsAppended} shows the group commit at work. */
    public record Stats(long recordsAppended, long forces, long digestsWritten, int digestsPending) {}

    private final Path dir;
    private final AuditSigner signer;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<String> recoveredLogFiles;
    private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final Object enqueueLock = new Object();
    private boolean closing; // guarded by enqueueLock
    private final Thread writer;
    private volatile AuditTrailException failure;
    private final AtomicLong recordsAppended = new AtomicLong();
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong digestsWritten = new AtomicLong();
    private volatile int digestsPending;

    // Owned by the writer thread (by the constructor before the writer starts).
    private OpenLog current;
    private FileKey lastKey;
    private ChainTip tip;
    private final ArrayDeque<ClosedLog> undigested = new ArrayDeque<>();

    private sealed interface Command permits Append, RollOver, Close {}

    private record Append(byte[] line, Instant eventTime, CompletableFuture<Void> done) implements Command {}

    private record RollOver(CompletableFuture<Void> done) implements Command {}

    private record Close(CompletableFuture<Void> done) implements Command {}

    /** The newest digest: what the next digest links to. */
    private record ChainTip(String digestPath, String sha256, String signatureBase64) {}

    /** A log file that is closed and waits for its digest. */
    private record ClosedLog(
            FileKey key,
            String sha256,
            long records,
            Instant firstEventTime,
            Instant lastEventTime,
            Instant start,
            Instant end,
            boolean recovered,
            long truncatedBytes) {}

    private static final class OpenLog {
        final FileKey key;
        final FileChannel channel;
        final MessageDigest sha = LogScanner.sha256();
        final Instant openedAt;
        long records;
        Instant first;
        Instant last;

        OpenLog(FileKey key, FileChannel channel, Instant openedAt) {
            this.key = key;
            this.channel = channel;
            this.openedAt = openedAt;
        }

        void write(byte[] line, Instant eventTime) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            sha.update(line);
            records++;
            if (first == null) {
                first = eventTime;
            }
            last = eventTime;
        }
    }

    private AuditTrail(Path dir, AuditSigner signer, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        FileChannel lockChannel = null;
        try {
            TrailLayout.createDirectoriesDurably(this.dir);
            lockChannel = FileChannel.open(
                    this.dir.resolve(TrailLayout.LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new AuditTrailException("audit trail " + this.dir + " is in use by another writer");
            }
            this.lockChannel = lockChannel;
            this.lock = lock;
            this.recoveredLogFiles = List.copyOf(recover());
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockChannel);
            if (e instanceof AuditTrailException a) {
                throw a;
            }
            throw new AuditTrailException("cannot open audit trail " + this.dir + ": " + e, e);
        }
        this.writer = Thread.ofPlatform().name("coffer-audit-writer").daemon(true).unstarted(this::runWriter);
        writer.start();
    }

    /** Opens (creating if needed) the trail in {@code dir}, on the system UTC clock. */
    public static AuditTrail open(Path dir, AuditSigner signer) {
        return open(dir, signer, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the trail in {@code dir}, recovering after a crash.
     *
     * @throws AuditTrailException if another writer holds the directory, the newest digest is
     *     unreadable (the chain's end cannot be checked), or the directory cannot be written
     */
    public static AuditTrail open(Path dir, AuditSigner signer, Clock clock) {
        return new AuditTrail(dir, signer, clock);
    }

    /**
     * Appends one record; returns once it is durable.
     *
     * @throws AuditTrailException if the record could not be made durable, or the trail is closed
     *     or has failed (it then refuses every record until reopened)
     * @throws IllegalArgumentException if the record is larger than the format allows
     */
    public void append(AuditRecord record) {
        byte[] json = record.jsonBytes();
        if (json.length >= LogScanner.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("audit record of " + json.length + " bytes exceeds the limit of "
                    + (LogScanner.MAX_LINE_BYTES - 1) + " bytes");
        }
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        Append append = new Append(line, record.eventTime(), new CompletableFuture<>());
        enqueue(append);
        await(append.done());
    }

    /**
     * Seals the open file if the clock has moved past its hour, and retries digests that could not
     * be signed. The writer does this by itself when idle; tests call it after moving their clock.
     */
    public void rollOver() {
        RollOver rollOver = new RollOver(new CompletableFuture<>());
        enqueue(rollOver);
        await(rollOver.done());
    }

    /**
     * Seals the open file with its digest (whatever the hour), stops the writer and releases the
     * directory. Idempotent.
     *
     * @throws AuditTrailException if a digest could not be written; the next open writes it as a
     *     recovered digest
     */
    @Override
    public void close() {
        Close close = new Close(new CompletableFuture<>());
        synchronized (enqueueLock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(close);
        }
        try {
            await(close.done());
        } finally {
            joinWriter();
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("releasing the lock of audit trail {} failed: {}", dir, e.toString());
            }
            closeQuietly(lockChannel);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Log files (relative paths) that were found without a digest at open and got a recovered digest. */
    public List<String> recoveredLogFiles() {
        return recoveredLogFiles;
    }

    public Stats stats() {
        return new Stats(recordsAppended.get(), forces.get(), digestsWritten.get(), digestsPending);
    }

    private void enqueue(Command command) {
        AuditTrailException failed = failure;
        if (failed != null) {
            throw new AuditTrailException(failed.getMessage(), failed);
        }
        synchronized (enqueueLock) {
            if (closing) {
                throw new AuditTrailException("audit trail " + dir + " is closed");
            }
            queue.add(command);
        }
    }

    private static void await(CompletableFuture<Void> done) {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditTrailException(
                    "interrupted while waiting for the audit trail; the record may or may not have been written");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuditTrailException a) {
                throw new AuditTrailException(a.getMessage(), a); // a fresh stack trace per caller
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new AuditTrailException("audit trail failed: " + cause, cause);
        }
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ----

    private void runWriter() {
        List<Command> batch = new ArrayList<>();
        boolean running = true;
        while (running) {
            Command first;
            try {
                first = queue.poll(IDLE_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; Close is how it stops
            }
            if (first == null) {
                onIdle();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                running = process(batch);
            } catch (Throwable t) { // never leave appenders waiting on a dead writer
                fail(t, new ArrayList<>());
                for (Command c : batch) {
                    done(c).completeExceptionally(failure);
                }
                running = !batch.stream().anyMatch(c -> c instanceof Close);
            }
            batch.clear();
        }
        List<Command> leftover = new ArrayList<>();
        queue.drainTo(leftover);
        for (Command c : leftover) {
            done(c).completeExceptionally(new AuditTrailException("audit trail " + dir + " is closed"));
        }
    }

    private static CompletableFuture<Void> done(Command command) {
        return switch (command) {
            case Append a -> a.done();
            case RollOver r -> r.done();
            case Close c -> c.done();
        };
    }

    /** Handles one batch in queue order; false once the trail is closed. */
    private boolean process(List<Command> batch) {
        List<Append> unsynced = new ArrayList<>();
        boolean running = true;
        for (Command command : batch) {
            switch (command) {
                case Append a -> write(a, unsynced);
                case RollOver r -> {
                    syncAndRelease(unsynced);
                    runStep(r.done(), false, () -> {
                        rollIfHourPassed(clock.instant());
                        writePendingDigests();
                    });
                }
                case Close c -> {
                    syncAndRelease(unsynced);
                    runStep(c.done(), true, this::closeFiles);
                    running = false;
                }
            }
        }
        syncAndRelease(unsynced);
        return running;
    }

    private void write(Append append, List<Append> unsynced) {
        if (failure != null) {
            append.done().completeExceptionally(failure);
            return;
        }
        try {
            Instant now = clock.instant();
            if (current != null && TrailLayout.hourOf(now).isAfter(current.key.hour())) {
                syncAndRelease(unsynced);
                if (failure != null) {
                    append.done().completeExceptionally(failure);
                    return;
                }
                closeCurrent(now);
            }
            if (current == null) {
                openNext(now);
            }
            current.write(append.line(), append.eventTime());
            unsynced.add(append);
        } catch (IOException | RuntimeException e) {
            unsynced.add(append);
            fail(e, unsynced);
        }
    }

    /** Forces the open file once for every line written since the last force, then releases their appenders. */
    private void syncAndRelease(List<Append> unsynced) {
        if (unsynced.isEmpty()) {
            return;
        }
        if (failure != null) {
            unsynced.forEach(a -> a.done().completeExceptionally(failure));
            unsynced.clear();
            return;
        }
        try {
            current.channel.force(true);
            forces.incrementAndGet();
            recordsAppended.addAndGet(unsynced.size());
            unsynced.forEach(a -> a.done().complete(null));
            unsynced.clear();
        } catch (IOException | RuntimeException e) {
            fail(e, unsynced);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs a roll-over or close step for its caller; an I/O failure fails the trail. */
    private void runStep(CompletableFuture<Void> done, boolean evenAfterFailure, Step step) {
        if (failure != null && !evenAfterFailure) {
            done.completeExceptionally(failure);
            return;
        }
        try {
            step.run();
            done.complete(null);
        } catch (AuditTrailException e) {
            done.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            fail(e, new ArrayList<>());
            done.completeExceptionally(failure);
        }
    }

    private void onIdle() {
        if (failure != null) {
            return;
        }
        try {
            rollIfHourPassed(clock.instant());
            writePendingDigests();
        } catch (IOException | RuntimeException e) {
            fail(e, new ArrayList<>());
        }
    }

    private void rollIfHourPassed(Instant now) throws IOException {
        if (failure == null && current != null && TrailLayout.hourOf(now).isAfter(current.key.hour())) {
            closeCurrent(now);
        }
    }

    private void closeFiles() throws IOException {
        if (failure != null) {
            closeQuietly(current == null ? null : current.channel);
            current = null;
            return; // the failure was reported to the appenders; the next open recovers
        }
        if (current != null) {
            closeCurrent(clock.instant());
        }
        if (!writePendingDigests()) {
            throw new AuditTrailException(undigested.size() + " audit digest(s) could not be written; "
                    + "the next open of " + dir + " writes them as recovered digests");
        }
    }

    private void openNext(Instant now) throws IOException {
        Instant hour = TrailLayout.hourOf(now);
        // A later file of an hour that already has one (restart), or of the newest hour when the clock
        // went backwards: names must keep sorting in the order the files were written.
        FileKey key = lastKey == null || hour.isAfter(lastKey.hour()) ? new FileKey(hour, 1) : lastKey.next();
        Path path = dir.resolve(key.logPath());
        TrailLayout.createDirectoriesDurably(path.getParent());
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        TrailLayout.syncDirectory(path.getParent());
        lastKey = key;
        current = new OpenLog(key, channel, now);
    }

    private void closeCurrent(Instant now) throws IOException {
        OpenLog log = current;
        current = null;
        try (FileChannel channel = log.channel) {
            channel.force(true);
            forces.incrementAndGet();
        }
        undigested.addLast(new ClosedLog(
                log.key, HexFormat.of().formatHex(log.sha.digest()), log.records, log.first, log.last,
                log.openedAt, now, false, 0));
        writePendingDigests();
    }

    /** Writes the waiting digests in order; stops at the first failure, keeping the rest for a retry. */
    private boolean writePendingDigests() {
        try {
            while (!undigested.isEmpty()) {
                ClosedLog log = undigested.peekFirst();
                try {
                    writeDigest(log);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("audit digest for {} not written yet ({}); its records are durable and the digest "
                            + "is retried", log.key().logPath(), e.toString());
                    return false;
                }
                undigested.removeFirst();
            }
            return true;
        } finally {
            digestsPending = undigested.size();
        }
    }

    private void writeDigest(ClosedLog log) throws IOException {
        AuditDigest digest = new AuditDigest(
                log.key().logPath(),
                log.sha256(),
                log.records(),
                log.firstEventTime(),
                log.lastEventTime(),
                log.start(),
                log.end(),
                tip == null ? null : tip.digestPath(),
                tip == null ? null : tip.sha256(),
                tip == null ? null : tip.signatureBase64(),
                log.recovered(),
                log.truncatedBytes(),
                signer.algorithm(),
                signer.keyLabel());
        String signature = Base64.getEncoder().encodeToString(signer.sign(digest.canonicalBytes()));
        byte[] bytes = digest.fileBytes(signature);
        String relative = log.key().digestPath();
        Path target = dir.resolve(relative);
        TrailLayout.createDirectoriesDurably(target.getParent());
        if (Files.exists(target)) {
            throw new AuditTrailException("digest " + relative + " already exists; digests are never replaced");
        }
        // Publish atomically: a digest is either absent (and recovery writes it) or whole.
        Path temporary = target.resolveSibling(target.getFileName() + TrailLayout.TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        TrailLayout.syncDirectory(target.getParent());
        tip = new ChainTip(relative, LogScanner.sha256Hex(bytes), signature);
        digestsWritten.incrementAndGet();
    }

    private void fail(Throwable cause, List<Append> unsynced) {
        if (failure == null) {
            failure = new AuditTrailException("audit trail " + dir
                    + " failed and refuses records until it is reopened: " + cause, cause);
            LOG.error("audit trail {} failed; KMS calls that need an audit record will fail until restart: {}",
                    dir, cause.toString());
        }
        unsynced.forEach(a -> a.done().completeExceptionally(failure));
        unsynced.clear();
        if (current != null) {
            closeQuietly(current.channel);
            current = null;
        }
    }

    // ---- recovery, in the constructor ----

    private List<String> recover() throws IOException {
        Listing digests = TrailLayout.listDigests(dir);
        for (Path temporary : digests.leftoverTemporaries()) {
            LOG.info("deleting unpublished audit digest {}", TrailLayout.relative(dir, temporary));
            Files.deleteIfExists(temporary);
        }
        Listing logs = TrailLayout.listLogs(dir);
        FileKey tipKey = null;
        if (!digests.files().isEmpty()) {
            Map.Entry<FileKey, Path> newest = digests.files().lastEntry();
            String relative = TrailLayout.relative(dir, newest.getValue());
            byte[] bytes = Files.readAllBytes(newest.getValue());
            AuditDigest.Signed signed;
            try {
                signed = AuditDigest.parse(bytes);
            } catch (AuditTrailException e) {
                throw new AuditTrailException("the newest audit digest " + relative + " is unreadable ("
                        + e.getMessage() + "); refusing to extend a chain whose end cannot be checked. "
                        + "Run `coffer audit verify`.", e);
            }
            tip = new ChainTip(relative, LogScanner.sha256Hex(bytes), signed.signatureBase64());
            tipKey = newest.getKey();
            lastKey = tipKey;
        }
        if (!logs.files().isEmpty() && (lastKey == null || logs.files().lastKey().compareTo(lastKey) > 0)) {
            lastKey = logs.files().lastKey();
        }
        List<String> recovered = new ArrayList<>();
        for (Map.Entry<FileKey, Path> log : logs.files().entrySet()) {
            FileKey key = log.getKey();
            if (digests.files().containsKey(key)) {
                continue;
            }
            if (tipKey != null && key.compareTo(tipKey) < 0) {
                // Not a crash leftover (the writer digests a file before it opens the next): a digest
                // was lost or removed. Writing one now would launder whatever happened to the file.
                LOG.warn("audit log {} has no digest but is older than the newest digest; left as it is "
                        + "(`coffer audit verify` reports it)", key.logPath());
                continue;
            }
            undigested.addLast(recoverLog(key, log.getValue()));
            recovered.add(key.logPath());
            LOG.warn("audit log {} was left open by a crash; writing a recovered digest", key.logPath());
        }
        writePendingDigests();
        return recovered;
    }

    private ClosedLog recoverLog(FileKey key, Path path) throws IOException {
        long size = Files.size(path);
        long end = endOfLastCompleteLine(path, size);
        if (end < size) {
            // The last append never returned: nobody was told this record is durable.
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(end);
                channel.force(true);
            }
            LOG.warn("audit log {}: cut {} bytes of a torn last line", key.logPath(), size - end);
        }
        Instant[] firstAndLast = new Instant[2];
        LogScanner.Result scan = LogScanner.scan(path, (lineNumber, line, length) -> {
            Instant t = eventTimeOf(line, length);
            if (t != null) {
                if (firstAndLast[0] == null) {
                    firstAndLast[0] = t;
                }
                firstAndLast[1] = t;
            }
        });
        if (scan.completeLines() > 0 && firstAndLast[0] == null) {
            firstAndLast[0] = key.hour(); // no readable record; verify will say which lines are malformed
            firstAndLast[1] = key.hour();
        }
        return new ClosedLog(key, scan.sha256Hex(), scan.completeLines(), firstAndLast[0], firstAndLast[1],
                key.hour(), clock.instant(), true, size - end);
    }

    private static Instant eventTimeOf(byte[] line, int length) {
        try {
            var node = AuditRecordJson.readTree(line, length).get("eventTime");
            return node != null && node.isTextual() ? AuditRecordJson.parseTime(node.textValue(), "eventTime") : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long endOfLastCompleteLine(Path path, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            long position = size;
            while (position > 0) {
                int n = (int) Math.min(buffer.capacity(), position);
                long start = position - n;
                buffer.clear().limit(n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, start + buffer.position()) < 0) {
                        throw new IOException("file shrank while being read");
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (buffer.get(i) == '\n') {
                        return start + i + 1;
                    }
                }
                position = start;
            }
            return 0;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing an audit file failed: {}", e.toString());
        }
    }
}

package dev.coffer.kms.audit;

import dev.coffer.kms.audit.TrailLayout.FileKey;
import dev.coffer.kms.audit.TrailLayout.Listing;
import dev.coffer.kms.audit.VerificationReport.Finding;
import dev.coffer.kms.audit.VerificationReport.Problem;
import dev.coffer.kms.audit.VerificationReport.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an audit trail directory (docs/formats/audit-trail-v1.md, "What verify checks"): every
 * digest's signature, that each digest links to the one before it by path, SHA-256 and signature,
 * that each digested log file has exactly the hash and record count its digest says, that every log
 * file has a digest (except the newest, open one, which is reported as not yet covered), and that
 * every line is a valid record. Reads each file once, line by line, in bounded memory.
 *
 * <p>Safe to run while a trail is writing: it lists log files before digest files, and ignores a
 * partial last line of the open file (an append in flight).
 */
public final class AuditVerifier {
    /** At most this many malformed-line findings per file; the rest are counted in the last one. */
    private static final int MAX_LINE_FINDINGS_PER_FILE = 5;

    /**
     * @param openFileAllowed when false, a trail that should be closed is checked: the newest log file
     *     without a digest is {@link Problem#DIGEST_MISSING} instead of {@link Problem#UNDIGESTED_OPEN_FILE}
     * @param anchorDigestSha256 SHA-256 (hex) of a digest file recorded earlier outside the trail (a
     *     previous report's chain tip), or null; if no digest in the chain has it, that is
     *     {@link Problem#ANCHOR_NOT_FOUND}: the newest hours were removed, or the chain rewritten
     * @param eventTimeTolerance how far eventTime may step back between consecutive lines before it is
     *     {@link Problem#RECORDS_OUT_OF_ORDER}: eventTime is when a request arrived and a line is written
     *     when it ends, so overlapping calls step back by up to the request timeout
     */
    public record Options(boolean openFileAllowed, String anchorDigestSha256, Duration eventTimeTolerance) {
        /** Above the KMS request timeout (30 s by default). */
        public static final Duration DEFAULT_EVENT_TIME_TOLERANCE = Duration.ofSeconds(60);

        public Options {
            if (eventTimeTolerance == null || eventTimeTolerance.isNegative()) {
                throw new IllegalArgumentException("eventTimeTolerance must be zero or positive");
            }
        }

        public static Options defaults() {
            return new Options(true, null, DEFAULT_EVENT_TIME_TOLERANCE);
        }

        public Options withAnchor(String digestSha256) {
            return new Options(openFileAllowed, digestSha256, eventTimeTolerance);
        }

        public Options closedTrail() {
            return new Options(false, anchorDigestSha256, eventTimeTolerance);
        }

        public Options withEventTimeTolerance(Duration tolerance) {
            return new Options(openFileAllowed, anchorDigestSha256, tolerance);
        }
    }

    private AuditVerifier() {}

    public static VerificationReport verify(Path dir, AuditSigner signer) {
        return verify(dir, signer, Options.defaults());
    }

    /**
     * @throws AuditTrailException if {@code dir} is not a readable directory
     */
    public static VerificationReport verify(Path dir, AuditSigner signer, Options options) {
        if (!Files.isDirectory(dir)) {
            throw new AuditTrailException("audit trail directory " + dir + " does not exist");
        }
        try {
            return new Run(dir, signer, options).run();
        } catch (IOException e) {
            throw new AuditTrailException("cannot read audit trail " + dir + ": " + e, e);
        }
    }

    /** One verification: state that lives as long as the run. */
    private static final class Run {
        private final Path dir;
        private final AuditSigner signer;
        private final Options options;
        private final List<Finding> findings = new ArrayList<>();
        private long recordsVerified;
        private long recordsNotCovered;

        Run(Path dir, AuditSigner signer, Options options) {
            this.dir = dir;
            this.signer = signer;
            this.options = options;
        }

        VerificationReport run() throws IOException {
            // Logs first: a file sealed between the two listings then has its digest, rather than a
            // digest appearing for a log we did not list.
            Listing logs = TrailLayout.listLogs(dir);
            Listing digests = TrailLayout.listDigests(dir);
            for (String rel : logs.unexpected()) {
                add(Problem.UNEXPECTED_FILE, rel, "not a log file of this trail (name or day directory does not fit)");
            }
            for (String rel : digests.unexpected()) {
                add(Problem.UNEXPECTED_FILE, rel, "not a digest file of this trail (name or day directory does not fit)");
            }

            Set<FileKey> coveredLogs = new HashSet<>();
            Previous previous = null;
            boolean anchorFound = false;
            for (Map.Entry<FileKey, Path> entry : digests.files().entrySet()) {
                String rel = TrailLayout.relative(dir, entry.getValue());
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(entry.getValue());
                } catch (IOException e) {
                    add(Problem.DIGEST_MALFORMED, rel, "unreadable: " + e);
                    coveredLogs.add(entry.getKey());
                    previous = new Previous(rel, null, null);
                    continue;
                }
                String sha = LogScanner.sha256Hex(bytes);
                if (sha.equals(options.anchorDigestSha256())) {
                    anchorFound = true;
                }
                AuditDigest.Signed signed;
                try {
                    signed = AuditDigest.parse(bytes);
                } catch (AuditTrailException e) {
                    add(Problem.DIGEST_MALFORMED, rel, e.getMessage());
                    // Its log has a digest, only a bad one: not also DIGEST_MISSING. It cannot say what
                    // it links to; the next digest's link still checks its hash.
                    coveredLogs.add(entry.getKey());
                    previous = new Previous(rel, sha, null);
                    continue;
                }
                AuditDigest digest = signed.digest();
                checkSignature(rel, signed);
                checkChain(rel, digest, previous);
                Optional<FileKey> logKey = TrailLayout.parseLogPath(digest.logFile());
                if (logKey.isEmpty()) {
                    add(Problem.DIGEST_NAME_MISMATCH, rel, "logFile " + digest.logFile() + " is not a log file path");
                } else {
                    if (!logKey.get().equals(entry.getKey())) {
                        add(Problem.DIGEST_NAME_MISMATCH, rel, "covers " + digest.logFile()
                                + ", whose digest would be " + logKey.get().digestPath()
                                + ": digest files were renamed or moved");
                    }
                    coveredLogs.add(logKey.get());
                    Path log = logs.files().get(logKey.get());
                    if (log == null) {
                        add(Problem.LOG_MISSING, digest.logFile(), "named by " + rel + " but absent");
                    } else {
                        checkDigestedLog(digest, log);
                    }
                }
                if (digest.recovered()) {
                    add(Problem.RECOVERED_DIGEST, rel, "written at start-up after the writer stopped without"
                            + " sealing " + digest.logFile() + "; its records were unprotected until then"
                            + (digest.truncatedBytes() > 0
                                    ? " (" + digest.truncatedBytes() + " bytes of a torn last line were cut)" : ""));
                }
                previous = new Previous(rel, sha, signed.signatureBase64());
            }

            FileKey newestDigest = digests.files().isEmpty() ? null : digests.files().lastKey();
            FileKey newestLog = logs.files().isEmpty() ? null : logs.files().lastKey();
            for (Map.Entry<FileKey, Path> log : logs.files().entrySet()) {
                FileKey key = log.getKey();
                if (coveredLogs.contains(key)) {
                    continue;
                }
                boolean open = key.equals(newestLog) && (newestDigest == null || key.compareTo(newestDigest) > 0);
                if (open && options.openFileAllowed()) {
                    checkOpenLog(key.logPath(), log.getValue());
                } else {
                    add(Problem.DIGEST_MISSING, key.logPath(), open
                            ? "the trail was expected to be closed, but its newest file has no digest"
                            : "no digest names this file; expected " + key.digestPath());
                }
            }
            if (options.anchorDigestSha256() != null && !anchorFound) {
                add(Problem.ANCHOR_NOT_FOUND, TrailLayout.DIGESTS, "no digest file has SHA-256 "
                        + options.anchorDigestSha256() + ": digests up to and including it were removed or changed");
            }
            Summary summary = new Summary(logs.files().size(), digests.files().size(), recordsVerified,
                    recordsNotCovered, previous == null ? null : previous.path(), previous == null ? null : previous.sha256());
            return new VerificationReport(findings, summary);
        }

        private void checkSignature(String rel, AuditDigest.Signed signed) {
            AuditDigest digest = signed.digest();
            if (!digest.signingKeyLabel().equals(signer.keyLabel()) || !digest.signatureAlgorithm().equals(signer.algorithm())) {
                add(Problem.SIGNATURE_INVALID, rel, "signed with key " + digest.signingKeyLabel() + " ("
                        + digest.signatureAlgorithm() + "), verifying with " + signer.keyLabel() + " (" + signer.algorithm() + ")");
                return;
            }
            boolean valid;
            try {
                valid = signer.verify(digest.canonicalBytes(), signed.signature());
            } catch (RuntimeException e) {
                valid = false;
            }
            if (!valid) {
                add(Problem.SIGNATURE_INVALID, rel, "the signature does not verify: the digest or its signature was changed");
            }
        }

        private void checkChain(String rel, AuditDigest digest, Previous previous) {
            if (previous == null) {
                if (digest.previousDigestFile() != null) {
                    add(Problem.CHAIN_BROKEN, rel, "the oldest digest links to " + digest.previousDigestFile()
                            + ", which is absent: earlier history was removed");
                }
                return;
            }
            if (digest.previousDigestFile() == null) {
                add(Problem.CHAIN_BROKEN, rel, "starts a new chain although " + previous.path() + " precedes it");
                return;
            }
            if (!digest.previousDigestFile().equals(previous.path())) {
                add(Problem.CHAIN_BROKEN, rel, "links to " + digest.previousDigestFile() + " but the digest before it is "
                        + previous.path() + ": a digest (and its hour) was removed, inserted or renamed");
                return;
            }
            if (!Objects.equals(digest.previousDigestSha256(), previous.sha256())) {
                add(Problem.CHAIN_BROKEN, rel, "the SHA-256 of " + previous.path() + " differs from the one recorded here: "
                        + "that digest was changed after this one was written");
            }
            if (previous.signatureBase64() != null
                    && !Objects.equals(digest.previousDigestSignature(), previous.signatureBase64())) {
                add(Problem.CHAIN_BROKEN, rel, "the signature of " + previous.path() + " differs from the one recorded here");
            }
        }

        private void checkDigestedLog(AuditDigest digest, Path log) throws IOException {
            String rel = digest.logFile();
            LineChecker lines = new LineChecker(rel);
            LogScanner.Result scan = LogScanner.scan(log, lines);
            lines.report();
            if (scan.trailingBytes() > 0) {
                add(Problem.RECORD_MALFORMED, rel, scan.trailingBytes() + " bytes after the last complete line");
            }
            if (!Objects.equals(scan.sha256Hex(), digest.logFileSha256())) {
                add(Problem.LOG_HASH_MISMATCH, rel, "SHA-256 is " + scan.sha256Hex() + ", the digest says "
                        + digest.logFileSha256() + ": records were changed, removed, inserted or reordered");
            }
            if (scan.completeLines() != digest.recordCount()) {
                add(Problem.RECORD_COUNT_MISMATCH, rel, scan.completeLines() + " records, the digest says "
                        + digest.recordCount());
            }
            recordsVerified += scan.completeLines();
        }

        private void checkOpenLog(String rel, Path log) throws IOException {
            long size = Files.size(log); // lines appended after this are not this run's business
            LineChecker lines = new LineChecker(rel);
            LogScanner.Result scan = LogScanner.scan(log, size, lines);
            lines.report();
            recordsNotCovered += scan.completeLines();
            add(Problem.UNDIGESTED_OPEN_FILE, rel, scan.completeLines() + " record(s) not yet covered by a signed"
                    + " digest: the hour is still open, or the writer stopped without sealing it (its next start"
                    + " writes a recovered digest). A change to these records cannot be detected yet.");
        }

        /** Parses every line as a record and watches eventTime, reporting a bounded number of findings. */
        private final class LineChecker implements LogScanner.LineHandler {
            private final String rel;
            private long malformed;
            private long oversized;
            private long outOfOrder;
            private long firstOutOfOrderLine;
            private Instant latestTime;

            LineChecker(String rel) {
                this.rel = rel;
            }

            @Override
            public void onLine(long lineNumber, byte[] line, int length) {
                AuditRecord record;
                try {
                    record = AuditRecordJson.read(Arrays.copyOf(line, length));
                } catch (AuditTrailException e) {
                    malformed++;
                    if (malformed <= MAX_LINE_FINDINGS_PER_FILE) {
                        add(Problem.RECORD_MALFORMED, rel, "line " + lineNumber + ": " + e.getMessage());
                    }
                    return;
                }
                Instant time = record.eventTime();
                if (latestTime != null && time.plus(options.eventTimeTolerance()).isBefore(latestTime)) {
                    if (outOfOrder++ == 0) {
                        firstOutOfOrderLine = lineNumber;
                    }
                }
                if (latestTime == null || time.isAfter(latestTime)) {
                    latestTime = time;
                }
            }

            @Override
            public void onOversizedLine(long lineNumber) {
                oversized++;
                if (oversized <= MAX_LINE_FINDINGS_PER_FILE) {
                    add(Problem.RECORD_MALFORMED, rel, "line " + lineNumber + " is longer than "
                            + LogScanner.MAX_LINE_BYTES + " bytes");
                }
            }

            void report() {
                long hidden = Math.max(0, malformed - MAX_LINE_FINDINGS_PER_FILE)
                        + Math.max(0, oversized - MAX_LINE_FINDINGS_PER_FILE);
                if (hidden > 0) {
                    add(Problem.RECORD_MALFORMED, rel, hidden + " more malformed line(s)");
                }
                if (outOfOrder > 0) {
                    add(Problem.RECORDS_OUT_OF_ORDER, rel, "eventTime goes back by more than "
                            + options.eventTimeTolerance().toSeconds() + " s at line " + firstOutOfOrderLine
                            + (outOfOrder > 1 ? " and " + (outOfOrder - 1) + " more time(s)" : ""));
                }
            }
        }

        private void add(Problem problem, String file, String detail) {
            findings.add(new Finding(problem, file, detail));
        }
    }

    private record Previous(String path, String sha256, String signatureBase64) {}

}

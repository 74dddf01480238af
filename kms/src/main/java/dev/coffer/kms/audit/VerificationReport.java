package dev.coffer.kms.audit;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AuditVerifier} found. {@link #ok()} is true when there is no finding of severity
 * {@link Severity#ERROR}; warnings and notes are shown but do not fail verification.
 *
 * @param findings in the order found: digests oldest first, then log files without a digest
 */
public record VerificationReport(List<Finding> findings, Summary summary) {
    public VerificationReport {
        findings = List.copyOf(findings);
        Objects.requireNonNull(summary, "summary");
    }

    public enum Severity {
        /** The trail was tampered with or damaged: verification fails. */
        ERROR,
        /** Suspicious or untidy, but explainable without tampering. */
        WARNING,
        /** Something the reader must know, e.g. what is not covered yet. */
        NOTE
    }

    public enum Problem {
        /** A digest's signature does not verify, or it was made with another key or algorithm. */
        SIGNATURE_INVALID(Severity.ERROR),
        /** A log file's SHA-256 differs from its digest: a record was changed, removed, inserted or moved. */
        LOG_HASH_MISMATCH(Severity.ERROR),
        /** A log file holds another number of records than its digest says. */
        RECORD_COUNT_MISMATCH(Severity.ERROR),
        /** A digest does not link to the digest before it (one removed, inserted, changed or renamed). */
        CHAIN_BROKEN(Severity.ERROR),
        /** A log file has no digest and is not the newest, still open, file. */
        DIGEST_MISSING(Severity.ERROR),
        /** A digest names a log file that does not exist. */
        LOG_MISSING(Severity.ERROR),
        /** A digest file's name does not match the log file it covers (digests renamed or swapped). */
        DIGEST_NAME_MISMATCH(Severity.ERROR),
        /** A digest file is not a well-formed version-1 digest in canonical form. */
        DIGEST_MALFORMED(Severity.ERROR),
        /** A line of a log file is not a valid audit record. */
        RECORD_MALFORMED(Severity.ERROR),
        /** The anchor digest given to the verifier is not in the chain: history was cut or rewritten. */
        ANCHOR_NOT_FOUND(Severity.ERROR),
        /**
         * eventTime goes back within a file by more than the tolerance (a minute by default). Order
         * tampering is caught by the hashes; this alone can be a clock stepped back.
         */
        RECORDS_OUT_OF_ORDER(Severity.WARNING),
        /** A file in the trail directory that is neither a log file nor a digest of this format. */
        UNEXPECTED_FILE(Severity.WARNING),
        /** The newest log file has no digest yet: its records are not protected until it is sealed. */
        UNDIGESTED_OPEN_FILE(Severity.NOTE),
        /** A digest was written at start-up after a crash, from the file as found then. */
        RECOVERED_DIGEST(Severity.NOTE);

        private final Severity severity;

        Problem(Severity severity) {
            this.severity = severity;
        }

        public Severity severity() {
            return severity;
        }
    }

    /**
     * @param file path relative to the trail directory, with '/'
     * @param detail what exactly is wrong; names files and line numbers, never record contents
     */
    public record Finding(Problem problem, String file, String detail) {
        public Finding {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(detail, "detail");
        }

        public Severity severity() {
            return problem.severity();
        }
    }

    /**
     * @param logFiles log files found
     * @param digestFiles digest files found
     * @param recordsVerified records in log files whose digest was checked
     * @param recordsNotCovered records in the open file, not yet covered by any signature
     * @param chainTipDigest the newest digest (relative path), or null when there is none; keep it with
     *     {@code chainTipSha256} outside the trail to detect later removal of the newest hours
     * @param chainTipSha256 SHA-256 (hex) of the newest digest file, or null
     */
    public record Summary(
            int logFiles,
            int digestFiles,
            long recordsVerified,
            long recordsNotCovered,
            String chainTipDigest,
            String chainTipSha256) {}

    public boolean ok() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }

    public List<Finding> findings(Problem problem) {
        return findings.stream().filter(f -> f.problem() == problem).toList();
    }

    public boolean has(Problem problem) {
        return findings.stream().anyMatch(f -> f.problem() == problem);
    }

    /** A human-readable report for {@code coffer audit verify}, one finding per line. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        long errors = count(Severity.ERROR);
        long warnings = count(Severity.WARNING);
        b.append(ok() ? "audit trail OK" : "audit trail FAILED verification")
                .append(": ").append(errors).append(" error(s), ").append(warnings).append(" warning(s)\n");
        for (Finding f : findings) {
            b.append(String.format("%-7s %-22s %s: %s%n", f.severity(), f.problem(), f.file(), f.detail()));
        }
        b.append("checked ").append(summary.logFiles()).append(" log file(s), ")
                .append(summary.digestFiles()).append(" digest file(s), ")
                .append(summary.recordsVerified()).append(" record(s) under signed digests\n");
        if (summary.recordsNotCovered() > 0) {
            b.append("NOT COVERED: ").append(summary.recordsNotCovered())
                    .append(" record(s) in the open file have no signed digest yet; a change to them cannot be"
                            + " detected until the file is sealed at the end of its hour\n");
        }
        if (summary.chainTipDigest() != null) {
            b.append("chain tip: ").append(summary.chainTipDigest()).append(" sha256 ")
                    .append(summary.chainTipSha256())
                    .append(" (keep it elsewhere and pass it as the anchor next time to detect removal of the newest hours)\n");
        }
        return b.toString();
    }

    private long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}

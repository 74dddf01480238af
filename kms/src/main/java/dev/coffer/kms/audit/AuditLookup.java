package dev.coffer.kms.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.kms.audit.AuditRecord.Resource;
import dev.coffer.kms.audit.AuditRecord.UserIdentity;
import dev.coffer.kms.audit.TrailLayout.FileKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Searches an audit trail, as CloudTrail's LookupEvents does: by key, event name, user and time
 * range, newest first, up to a limit. Reads the log files newest first, line by line; memory is
 * bounded by the limit, not by the trail. Files are read as they are, without verification (that is
 * {@link AuditVerifier}'s job); lines that are not valid records are skipped and counted.
 *
 * <p>"Newest first" is the order in which records were written (file by file, line by line, reversed),
 * which is eventTime order except for calls that overlapped in time.
 */
public final class AuditLookup {
    /**
     * How far a record's eventTime may lie before the hour of the file it was written to (a call that
     * started just before the hour ended after it) or after it (clock adjustments). Files further away
     * from the queried range are not read.
     */
    static final Duration FILE_HOUR_SLACK = Duration.ofHours(1);

    /**
     * What to look for; null criteria match everything. All given criteria must match.
     *
     * @param keyId key ID, key ARN, alias name or alias ARN: matches a {@code resources[].ARN} or a
     *     {@code requestParameters} keyId, sourceKeyId, destinationKeyId or targetKeyId equal to it, or
     *     an ARN ending in {@code :key/<keyId>} or {@code :<keyId>}
     * @param eventName e.g. {@code Decrypt}
     * @param user {@code userIdentity.userName}, {@code userIdentity.arn} or {@code userIdentity.principalId}
     * @param from inclusive lower bound on eventTime, or null
     * @param to exclusive upper bound on eventTime, or null
     * @param limit at most this many records, 1 to {@value #MAX_LIMIT}
     */
    public record Query(String keyId, String eventName, String user, Instant from, Instant to, int limit) {
        /** The requestParameters that name a key as the caller gave it (ReEncrypt names two, CreateAlias its target). */
        private static final List<String> KEY_PARAMETERS = List.of("keyId", "sourceKeyId", "destinationKeyId", "targetKeyId");
        /** LookupEvents' page size. */
        public static final int DEFAULT_LIMIT = 50;
        public static final int MAX_LIMIT = 100_000;

        public Query {
            AuditRecord.requireNonBlankIfPresent(keyId, "keyId");
            AuditRecord.requireNonBlankIfPresent(eventName, "eventName");
            AuditRecord.requireNonBlankIfPresent(user, "user");
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("time range is empty: from " + from + " is not before to " + to);
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
            }
        }

        /** Everything, the newest {@value #DEFAULT_LIMIT} first. */
        public static Query all() {
            return new Query(null, null, null, null, null, DEFAULT_LIMIT);
        }

        public Query withKeyId(String keyId) {
            return new Query(keyId, eventName, user, from, to, limit);
        }

        public Query withEventName(String eventName) {
            return new Query(keyId, eventName, user, from, to, limit);
        }

        public Query withUser(String user) {
            return new Query(keyId, eventName, user, from, to, limit);
        }

        /** [from, to): either may be null for an open end. */
        public Query withTimeRange(Instant from, Instant to) {
            return new Query(keyId, eventName, user, from, to, limit);
        }

        public Query withLimit(int limit) {
            return new Query(keyId, eventName, user, from, to, limit);
        }

        boolean matches(AuditRecord r) {
            return (eventName == null || eventName.equals(r.eventName()))
                    && (from == null || !r.eventTime().isBefore(from))
                    && (to == null || r.eventTime().isBefore(to))
                    && (user == null || matchesUser(r.userIdentity()))
                    && (keyId == null || matchesKey(r));
        }

        private boolean matchesUser(UserIdentity id) {
            return user.equals(id.userName()) || user.equals(id.arn()) || user.equals(id.principalId());
        }

        private boolean matchesKey(AuditRecord r) {
            for (Resource resource : r.resources()) {
                if (sameKey(resource.arn(), keyId)) {
                    return true;
                }
            }
            JsonNode params = r.requestParametersNode();
            if (params == null) {
                return false;
            }
            for (String field : KEY_PARAMETERS) {
                JsonNode named = params.get(field);
                if (named != null && named.isTextual() && sameKey(named.textValue(), keyId)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameKey(String a, String b) {
            return a.equals(b) || arnNames(a, b) || arnNames(b, a);
        }

        private static boolean arnNames(String arn, String id) {
            return arn.startsWith("arn:") && (arn.endsWith(":key/" + id) || arn.endsWith(":" + id));
        }

        /** False when no record in the file of this hour can fall in the range. */
        boolean mayHaveRecordsIn(Instant fileHour) {
            Instant earliest = fileHour.minus(FILE_HOUR_SLACK);
            Instant latest = fileHour.plus(Duration.ofHours(1)).plus(FILE_HOUR_SLACK);
            return (from == null || latest.isAfter(from)) && (to == null || earliest.isBefore(to));
        }
    }

    /**
     * @param records newest first, at most the query's limit
     * @param malformedLinesSkipped lines that were not valid records (run {@link AuditVerifier})
     * @param filesRead log files read
     */
    public record Result(List<AuditRecord> records, long malformedLinesSkipped, int filesRead) {
        public Result {
            records = List.copyOf(records);
        }
    }

    private AuditLookup() {}

    /**
     * @throws AuditTrailException if {@code dir} is not a readable trail directory
     */
    public static Result find(Path dir, Query query) {
        if (!Files.isDirectory(dir)) {
            throw new AuditTrailException("audit trail directory " + dir + " does not exist");
        }
        try {
            return search(dir, query);
        } catch (IOException e) {
            throw new AuditTrailException("cannot read audit trail " + dir + ": " + e, e);
        }
    }

    private static Result search(Path dir, Query query) throws IOException {
        List<AuditRecord> found = new ArrayList<>();
        long[] malformed = new long[1];
        int filesRead = 0;
        Iterator<Map.Entry<FileKey, Path>> newestFirst =
                TrailLayout.listLogs(dir).files().descendingMap().entrySet().iterator();
        while (newestFirst.hasNext() && found.size() < query.limit()) {
            Map.Entry<FileKey, Path> file = newestFirst.next();
            Instant hour = file.getKey().hour();
            if (!query.mayHaveRecordsIn(hour)) {
                if (query.from() != null && !hour.plus(Duration.ofHours(1)).plus(FILE_HOUR_SLACK).isAfter(query.from())) {
                    break; // every older file is further below the range
                }
                continue;
            }
            int wanted = query.limit() - found.size();
            // Lines run oldest to newest; keep the newest `wanted` matches of this file.
            ArrayDeque<AuditRecord> newestMatches = new ArrayDeque<>(Math.min(wanted, 1024));
            LogScanner.scan(file.getValue(), new LogScanner.LineHandler() {
                @Override
                public void onLine(long lineNumber, byte[] line, int length) {
                    AuditRecord record;
                    try {
                        record = AuditRecordJson.read(Arrays.copyOf(line, length));
                    } catch (AuditTrailException e) {
                        malformed[0]++;
                        return;
                    }
                    if (query.matches(record)) {
                        if (newestMatches.size() == wanted) {
                            newestMatches.removeFirst();
                        }
                        newestMatches.addLast(record);
                    }
                }

                @Override
                public void onOversizedLine(long lineNumber) {
                    malformed[0]++;
                }
            });
            filesRead++;
            for (Iterator<AuditRecord> it = newestMatches.descendingIterator(); it.hasNext(); ) {
                found.add(it.next());
            }
        }
        return new Result(found, malformed[0], filesRead);
    }
}

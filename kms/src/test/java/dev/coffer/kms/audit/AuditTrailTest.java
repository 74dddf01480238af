package dev.coffer.kms.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.audit.VerificationReport.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant H20 = Instant.parse("2025-05-20T20:00:00Z");
    private static final String LOG_20 = "2025/05/20/coffer-kms-20250520T20Z.jsonl";
    private static final String DIGEST_20 = "digests/2025/05/20/coffer-kms-20250520T20Z-digest.json";

    @TempDir
    Path dir;

    private final JcaAuditSigner signer = JcaAuditSigner.generateP256("audit/test");
    private final MutableClock clock = new MutableClock(H20.plus(Duration.ofMinutes(10)));

    private AuditRecord recordNow(String user) {
        return TestRecords.decrypt(clock.instant(), user, "k-1");
    }

    @Test
    void appendsOneJsonLinePerRecordToTheFileOfTheCurrentHour() throws Exception {
        AuditRecord first = recordNow("alice");
        AuditRecord second = recordNow("bob");
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(first);
            trail.append(second);

            // Durable and visible before close: append returns only after the force.
            assertThat(lines(dir.resolve(LOG_20))).containsExactly(first.toJson(), second.toJson());
        }
    }

    @Test
    void rollsOverWhenTheHourChangesAndChainsSignedDigests() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
            trail.append(recordNow("alice"));
            clock.set(H20.plus(Duration.ofMinutes(65)));
            trail.append(recordNow("bob"));
            clock.set(H20.plus(Duration.ofMinutes(3 * 60 + 30)));
            trail.append(recordNow("carol"));

            // Two hours are sealed; the third is open.
            assertThat(Files.exists(dir.resolve(DIGEST_20))).isTrue();
            assertThat(Files.exists(dir.resolve("digests/2025/05/20/coffer-kms-20250520T21Z-digest.json"))).isTrue();
            assertThat(Files.exists(dir.resolve("digests/2025/05/20/coffer-kms-20250520T23Z-digest.json"))).isFalse();
        }

        JsonNode d20 = digest(DIGEST_20);
        JsonNode d21 = digest("digests/2025/05/20/coffer-kms-20250520T21Z-digest.json");
        JsonNode d23 = digest("digests/2025/05/20/coffer-kms-20250520T23Z-digest.json");
        assertThat(d20.get("digestVersion").asText()).isEqualTo("1");
        assertThat(d20.get("logFile").asText()).isEqualTo(LOG_20);
        assertThat(d20.get("logFileSha256").asText()).isEqualTo(sha256(dir.resolve(LOG_20)));
        assertThat(d20.get("recordCount").asLong()).isEqualTo(2);
        assertThat(d20.get("firstEventTime").asText()).isEqualTo("2025-05-20T20:10:00Z");
        assertThat(d20.get("digestEndTime").asText()).isEqualTo("2025-05-20T21:05:00Z");
        assertThat(d20.get("previousDigestFile").isNull()).isTrue(); // the chain starts here
        assertThat(d20.get("recovered").asBoolean()).isFalse();
        assertThat(d20.get("signingKeyLabel").asText()).isEqualTo("audit/test");
        assertThat(d21.get("previousDigestFile").asText()).isEqualTo(DIGEST_20);
        assertThat(d21.get("previousDigestSha256").asText()).isEqualTo(sha256(dir.resolve(DIGEST_20)));
        assertThat(d21.get("previousDigestSignature").asText()).isEqualTo(d20.get("signature").asText());
        assertThat(d23.get("previousDigestFile").asText()).endsWith("coffer-kms-20250520T21Z-digest.json");
        assertThat(AuditVerifier.verify(dir, signer).findings()).isEmpty();
    }

    @Test
    void theSignatureCoversTheDigestWithoutItsSignatureField() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
        }
        String file = Files.readString(dir.resolve(DIGEST_20));
        JsonNode digest = JSON.readTree(file);
        String signature = digest.get("signature").asText();
        String signed = file.replace(",\"signature\":\"" + signature + "\"", "").strip();

        assertThat(signer.verify(signed.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(signature))).isTrue();
    }

    @Test
    void rollOverSealsAnHourThatEndedWithoutFurtherAppends() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
            trail.rollOver();
            assertThat(Files.exists(dir.resolve(DIGEST_20))).as("the hour is not over").isFalse();

            clock.set(H20.plus(Duration.ofMinutes(60)).plusSeconds(1));
            trail.rollOver();

            assertThat(Files.exists(dir.resolve(DIGEST_20))).isTrue();
            assertThat(trail.stats().digestsWritten()).isEqualTo(1);
        }
        assertThat(logFiles()).containsExactly(LOG_20); // no empty file was opened for the idle hour
    }

    @Test
    void reopeningWithinAnHourStartsAnotherFileOfThatHourAndContinuesTheChain() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
        }
        clock.advance(Duration.ofMinutes(5));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("bob"));
        }

        assertThat(logFiles()).containsExactly(LOG_20, "2025/05/20/coffer-kms-20250520T20Z_2.jsonl");
        assertThat(digest("digests/2025/05/20/coffer-kms-20250520T20Z_2-digest.json").get("previousDigestFile").asText())
                .isEqualTo(DIGEST_20);
        assertThat(AuditVerifier.verify(dir, signer).findings()).isEmpty();
    }

    @Test
    void recoversAFileLeftOpenByACrashAndContinuesTheChain() throws Exception {
        Path crashed = dir.resolve("crashed");
        Path live = dir.resolve("live");
        List<AuditRecord> written = new ArrayList<>();
        try (AuditTrail trail = AuditTrail.open(live, signer, clock)) {
            for (int i = 0; i < 5; i++) {
                AuditRecord r = recordNow("alice");
                trail.append(r);
                written.add(r);
            }
            clock.set(H20.plus(Duration.ofMinutes(70)));
            trail.append(recordNow("bob")); // seals hour 20, opens hour 21
            // What a power cut would leave: exactly what was durable when the appends returned.
            copyTree(live, crashed);
        }

        clock.set(H20.plus(Duration.ofMinutes(3 * 60 + 5)));
        try (AuditTrail reopened = AuditTrail.open(crashed, signer, clock)) {
            assertThat(reopened.recoveredLogFiles()).containsExactly("2025/05/20/coffer-kms-20250520T21Z.jsonl");
            reopened.append(recordNow("carol"));
        }

        JsonNode recovered = digest("crashed/digests/2025/05/20/coffer-kms-20250520T21Z-digest.json");
        assertThat(recovered.get("recovered").asBoolean()).isTrue();
        assertThat(recovered.get("recordCount").asLong()).isEqualTo(1);
        assertThat(recovered.get("previousDigestFile").asText()).isEqualTo(DIGEST_20);
        assertThat(digest("crashed/digests/2025/05/20/coffer-kms-20250520T23Z-digest.json").get("previousDigestFile").asText())
                .endsWith("coffer-kms-20250520T21Z-digest.json");
        assertThat(lines(crashed.resolve(LOG_20))).containsExactlyElementsOf(written.stream().map(AuditRecord::toJson).toList());
        VerificationReport report = AuditVerifier.verify(crashed, signer);
        assertThat(report.ok()).isTrue();
        assertThat(report.findings()).extracting(VerificationReport.Finding::problem).containsExactly(Problem.RECOVERED_DIGEST);
    }

    @Test
    void recoveryCutsATornLastLineWhoseAppendNeverReturned() throws Exception {
        Path crashed = dir.resolve("crashed");
        Path live = dir.resolve("live");
        try (AuditTrail trail = AuditTrail.open(live, signer, clock)) {
            trail.append(recordNow("alice"));
            trail.append(recordNow("alice"));
            copyTree(live, crashed);
        }
        byte[] torn = "{\"eventVersion\":\"1.11\",\"userIdent".getBytes(StandardCharsets.UTF_8);
        Files.write(crashed.resolve(LOG_20), torn, StandardOpenOption.APPEND);

        try (AuditTrail reopened = AuditTrail.open(crashed, signer, clock)) {
            assertThat(reopened.recoveredLogFiles()).containsExactly(LOG_20);
        }

        JsonNode d = digest("crashed/" + DIGEST_20);
        assertThat(d.get("truncatedBytes").asLong()).isEqualTo(torn.length);
        assertThat(d.get("recordCount").asLong()).isEqualTo(2);
        assertThat(lines(crashed.resolve(LOG_20))).hasSize(2);
        assertThat(AuditVerifier.verify(crashed, signer).ok()).isTrue();
    }

    @Test
    void recoveryDoesNotLaunderAnOlderFileWhoseDigestWasRemoved() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
            clock.advance(Duration.ofHours(1));
            trail.append(recordNow("bob"));
        }
        Files.delete(dir.resolve(DIGEST_20));

        try (AuditTrail reopened = AuditTrail.open(dir, signer, clock)) {
            assertThat(reopened.recoveredLogFiles()).isEmpty();
        }

        assertThat(Files.exists(dir.resolve(DIGEST_20))).isFalse();
        assertThat(AuditVerifier.verify(dir, signer).has(Problem.DIGEST_MISSING)).isTrue();
    }

    @Test
    void refusesToStartWhenTheNewestDigestIsUnreadable() throws Exception {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
        }
        Files.writeString(dir.resolve(DIGEST_20), "{\"digestVersion\":\"1\"}\n");

        assertThatThrownBy(() -> AuditTrail.open(dir, signer, clock))
                .isInstanceOf(AuditTrailException.class)
                .hasMessageContaining("newest audit digest")
                .hasMessageContaining("coffer audit verify");
    }

    @Test
    void concurrentAppendsAllArriveWholeAndShareForces() throws Exception {
        int threads = 8;
        int perThread = 500;
        Set<String> eventIds = ConcurrentHashMap.newKeySet();
        AuditTrail.Stats stats;
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "user" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        AuditRecord r = recordNow(user);
                        trail.append(r);
                        eventIds.add(r.eventId().toString());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            stats = trail.stats();
        }

        List<String> lines = lines(dir.resolve(LOG_20));
        assertThat(lines).hasSize(threads * perThread);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            AuditRecord parsed = AuditRecord.fromJson(line); // every line is one whole record
            seen.add(parsed.eventId().toString());
        }
        assertThat(seen).isEqualTo(eventIds);
        assertThat(stats.recordsAppended()).isEqualTo(threads * perThread);
        assertThat(stats.forces()).isBetween(1L, (long) threads * perThread);
        assertThat(AuditVerifier.verify(dir, signer).findings()).isEmpty();
    }

    @Test
    void refusesASecondWriterOnTheSameDirectory() {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            assertThatThrownBy(() -> AuditTrail.open(dir, signer, clock))
                    .isInstanceOf(AuditTrailException.class)
                    .hasMessageContaining("in use");
            trail.append(recordNow("alice")); // the first writer is unaffected
        }
    }

    @Test
    void refusesAppendsAfterClose() {
        AuditTrail trail = AuditTrail.open(dir, signer, clock);
        trail.close();
        trail.close(); // idempotent

        assertThatThrownBy(() -> trail.append(recordNow("alice")))
                .isInstanceOf(AuditTrailException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void keepsRecordingWhileTheSignerIsDownAndWritesTheDigestsInOrderWhenItIsBack() throws Exception {
        FlakySigner flaky = new FlakySigner(signer);
        try (AuditTrail trail = AuditTrail.open(dir, flaky, clock)) {
            trail.append(recordNow("alice"));
            flaky.available = false;
            clock.advance(Duration.ofHours(1));
            trail.append(recordNow("bob")); // hour 20 sealed, but its digest cannot be signed
            assertThat(trail.stats().digestsPending()).isEqualTo(1);
            clock.advance(Duration.ofHours(1));
            trail.append(recordNow("carol"));
            assertThat(trail.stats().digestsPending()).isEqualTo(2);

            flaky.available = true;
            trail.rollOver();
            assertThat(trail.stats().digestsPending()).isZero();
        }

        assertThat(digest("digests/2025/05/20/coffer-kms-20250520T21Z-digest.json").get("previousDigestFile").asText())
                .isEqualTo(DIGEST_20);
        assertThat(AuditVerifier.verify(dir, signer).findings()).isEmpty();
    }

    @Test
    void aClockThatGoesBackNeverReopensAnEarlierHour() throws Exception {
        clock.set(H20.plus(Duration.ofMinutes(70)));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("alice"));
            clock.set(H20.plus(Duration.ofMinutes(50)));
            trail.append(recordNow("alice"));
        }
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(recordNow("bob"));
        }

        assertThat(logFiles()).containsExactly(
                "2025/05/20/coffer-kms-20250520T21Z.jsonl", "2025/05/20/coffer-kms-20250520T21Z_2.jsonl");
        VerificationReport report = AuditVerifier.verify(dir, signer);
        assertThat(report.ok()).isTrue();
        assertThat(report.findings()).extracting(VerificationReport.Finding::problem)
                .containsExactly(Problem.RECORDS_OUT_OF_ORDER);
    }

    @Test
    void refusesARecordTooLargeForTheFormat() {
        AuditRecord huge = AuditRecord.builder()
                .userIdentity(TestRecords.user("alice")).eventTime(clock.instant()).eventName("PutKeyPolicy")
                .awsRegion("us-west-2").sourceIpAddress("192.0.2.1").requestId("r").readOnly(false)
                .recipientAccountId(TestRecords.ACCOUNT)
                .requestParameters(java.util.Map.of("policy", "x".repeat(LogScanner.MAX_LINE_BYTES)))
                .build();
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            assertThatThrownBy(() -> trail.append(huge)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** An HSM that can be switched off: a fake over a real signer, not a mock. */
    private static final class FlakySigner implements AuditSigner {
        private final AuditSigner delegate;
        volatile boolean available = true;

        FlakySigner(AuditSigner delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] sign(byte[] data) {
            if (!available) {
                throw new IllegalStateException("HSM unavailable");
            }
            return delegate.sign(data);
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            return delegate.verify(data, signature);
        }

        @Override
        public String algorithm() {
            return delegate.algorithm();
        }

        @Override
        public String keyLabel() {
            return delegate.keyLabel();
        }
    }

    private JsonNode digest(String relative) throws IOException {
        return JSON.readTree(dir.resolve(relative).toFile());
    }

    private List<String> logFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsonl"))
                    .map(p -> TrailLayout.relative(dir, p)).sorted().toList();
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    static String sha256(Path file) throws IOException {
        return LogScanner.sha256Hex(Files.readAllBytes(file));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

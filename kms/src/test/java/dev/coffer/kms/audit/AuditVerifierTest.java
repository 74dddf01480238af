package dev.coffer.kms.audit;

import static dev.coffer.kms.audit.AuditTrailTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.audit.VerificationReport.Finding;
import dev.coffer.kms.audit.VerificationReport.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tamper matrix: every way to alter a sealed trail must be reported, by the right finding. */
class AuditVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant H20 = Instant.parse("2025-05-20T20:00:00Z");
    private static final int HOURS = 4;
    private static final int RECORDS_PER_HOUR = 5;

    @TempDir
    Path dir;

    private final JcaAuditSigner signer = JcaAuditSigner.generateP256("audit/test");
    private final MutableClock clock = new MutableClock(H20);

    /** Hours 20, 21, 22 and 23, five records each, all sealed. */
    @BeforeEach
    void writeSealedTrail() {
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            for (int h = 0; h < HOURS; h++) {
                for (int i = 0; i < RECORDS_PER_HOUR; i++) {
                    clock.set(H20.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(5L * i + 1)));
                    trail.append(TestRecords.decrypt(clock.instant(), "user" + i, "k-" + h));
                }
            }
        }
    }

    private static String log(int hour) {
        return "2025/05/20/coffer-kms-20250520T" + hour + "Z.jsonl";
    }

    private static String digest(int hour) {
        return "digests/2025/05/20/coffer-kms-20250520T" + hour + "Z-digest.json";
    }

    private VerificationReport verify() {
        return AuditVerifier.verify(dir, signer);
    }

    @Test
    void anIntactSealedTrailVerifiesWithoutFindings() {
        VerificationReport report = verify();

        assertThat(report.ok()).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.summary().logFiles()).isEqualTo(HOURS);
        assertThat(report.summary().digestFiles()).isEqualTo(HOURS);
        assertThat(report.summary().recordsVerified()).isEqualTo(HOURS * RECORDS_PER_HOUR);
        assertThat(report.summary().recordsNotCovered()).isZero();
        assertThat(report.summary().chainTipDigest()).isEqualTo(digest(23));
        assertThat(report.toText()).startsWith("audit trail OK");
    }

    @Test
    void verifyDetectsAChangedByteInARecord() throws IOException {
        List<String> lines = lines(dir.resolve(log(21)));
        lines.set(2, lines.get(2).replace("user2", "user7")); // still a valid record
        writeLines(log(21), lines);

        VerificationReport report = verify();

        assertThat(report.ok()).isFalse();
        assertThat(problems(report)).containsExactly(Problem.LOG_HASH_MISMATCH);
        assertThat(report.findings().get(0).file()).isEqualTo(log(21));
    }

    @Test
    void verifyDetectsAFlippedBitAnywhereInALogFile() throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(log(22)));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(dir.resolve(log(22)), bytes);

        VerificationReport report = verify();

        assertThat(report.ok()).isFalse();
        assertThat(problems(report)).contains(Problem.LOG_HASH_MISMATCH);
    }

    @Test
    void verifyDetectsARemovedRecord() throws IOException {
        List<String> lines = lines(dir.resolve(log(21)));
        lines.remove(3);
        writeLines(log(21), lines);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactlyInAnyOrder(Problem.LOG_HASH_MISMATCH, Problem.RECORD_COUNT_MISMATCH);
    }

    @Test
    void verifyDetectsAnInsertedRecord() throws IOException {
        List<String> lines = lines(dir.resolve(log(21)));
        Instant between = AuditRecord.fromJson(lines.get(1)).eventTime().plusSeconds(30);
        lines.add(2, TestRecords.decrypt(between, "mallory", "k-21").toJson());
        writeLines(log(21), lines);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactlyInAnyOrder(Problem.LOG_HASH_MISMATCH, Problem.RECORD_COUNT_MISMATCH);
    }

    @Test
    void verifyDetectsSwappedRecords() throws IOException {
        List<String> lines = lines(dir.resolve(log(22)));
        Collections.swap(lines, 1, 2);
        writeLines(log(22), lines);

        VerificationReport report = verify();

        assertThat(report.ok()).isFalse();
        assertThat(problems(report)).containsExactlyInAnyOrder(Problem.LOG_HASH_MISMATCH, Problem.RECORDS_OUT_OF_ORDER);
    }

    @Test
    void verifyDetectsARemovedLogFile() throws IOException {
        Files.delete(dir.resolve(log(21)));

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactly(Problem.LOG_MISSING);
        assertThat(report.findings().get(0).file()).isEqualTo(log(21));
    }

    @Test
    void verifyDetectsARemovedDigestFile() throws IOException {
        Files.delete(dir.resolve(digest(21)));

        VerificationReport report = verify();

        assertThat(report.findings()).extracting(Finding::problem, Finding::file).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Problem.CHAIN_BROKEN, digest(22)),
                org.assertj.core.groups.Tuple.tuple(Problem.DIGEST_MISSING, log(21)));
    }

    @Test
    void verifyDetectsAWholeHourRemovedFromTheMiddleOfTheChain() throws IOException {
        Files.delete(dir.resolve(log(21)));
        Files.delete(dir.resolve(digest(21)));

        VerificationReport report = verify();

        assertThat(report.findings()).extracting(Finding::problem, Finding::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Problem.CHAIN_BROKEN, digest(22)));
        assertThat(report.findings().get(0).detail()).contains(digest(21)).contains(digest(20));
    }

    @Test
    void verifyDetectsTheOldestHoursRemoved() throws IOException {
        Files.delete(dir.resolve(log(20)));
        Files.delete(dir.resolve(digest(20)));

        VerificationReport report = verify();

        assertThat(report.findings()).extracting(Finding::problem, Finding::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Problem.CHAIN_BROKEN, digest(21)));
    }

    @Test
    void verifyDetectsAReplacedDigestSignature() throws IOException {
        ObjectNode d21 = readDigest(21);
        String otherSignature = readDigest(22).get("signature").asText(); // well-formed, but over other bytes
        d21.put("signature", otherSignature);
        writeDigest(21, d21);

        VerificationReport report = verify();

        assertThat(report.findings()).extracting(Finding::problem, Finding::file).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Problem.SIGNATURE_INVALID, digest(21)),
                org.assertj.core.groups.Tuple.tuple(Problem.CHAIN_BROKEN, digest(22)),
                org.assertj.core.groups.Tuple.tuple(Problem.CHAIN_BROKEN, digest(22)));
    }

    @Test
    void verifyDetectsAnEditedDigestField() throws IOException {
        ObjectNode d21 = readDigest(21);
        d21.put("recordCount", RECORDS_PER_HOUR - 1);
        writeDigest(21, d21);

        VerificationReport report = verify();

        assertThat(problems(report)).contains(Problem.SIGNATURE_INVALID, Problem.RECORD_COUNT_MISMATCH, Problem.CHAIN_BROKEN);
    }

    @Test
    void verifyDetectsALogAndDigestRewrittenAndResignedWithAnotherKey() throws IOException {
        List<String> lines = lines(dir.resolve(log(23)));
        lines.remove(0);
        writeLines(log(23), lines);
        ObjectNode d23 = readDigest(23);
        d23.put("logFileSha256", AuditTrailTest.sha256(dir.resolve(log(23))));
        d23.put("recordCount", lines.size());
        d23.remove("signature");
        JcaAuditSigner attacker = JcaAuditSigner.generateP256("audit/test"); // same label, not the HSM's key
        d23.put("signature", Base64.getEncoder().encodeToString(
                attacker.sign(JSON.writeValueAsBytes(d23))));
        writeDigest(23, d23);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactly(Problem.SIGNATURE_INVALID);
    }

    @Test
    void verifyDetectsSwappedDigestFiles() throws IOException {
        Path a = dir.resolve(digest(21));
        Path b = dir.resolve(digest(22));
        Path tmp = dir.resolve("swap.tmp");
        Files.move(a, tmp);
        Files.move(b, a);
        Files.move(tmp, b);

        VerificationReport report = verify();

        assertThat(report.ok()).isFalse();
        assertThat(problems(report)).contains(Problem.DIGEST_NAME_MISMATCH, Problem.CHAIN_BROKEN);
        assertThat(report.findings(Problem.DIGEST_NAME_MISMATCH)).extracting(Finding::file)
                .containsExactly(digest(21), digest(22));
    }

    @Test
    void verifyDetectsARenamedDigestFile() throws IOException {
        Files.move(dir.resolve(digest(22)), dir.resolve(digest(22) + ".old"), StandardCopyOption.ATOMIC_MOVE);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactlyInAnyOrder(
                Problem.UNEXPECTED_FILE, Problem.CHAIN_BROKEN, Problem.DIGEST_MISSING);
        assertThat(report.findings(Problem.DIGEST_MISSING)).extracting(Finding::file).containsExactly(log(22));
    }

    @Test
    void verifyDetectsAReformattedDigest() throws IOException {
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(readDigest(21));
        Files.writeString(dir.resolve(digest(21)), pretty);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactlyInAnyOrder(Problem.DIGEST_MALFORMED, Problem.CHAIN_BROKEN);
        assertThat(report.findings(Problem.DIGEST_MALFORMED).get(0).detail()).contains("canonical");
    }

    @Test
    void verifyFailsClosedOnADigestOfAnUnknownVersion() throws IOException {
        ObjectNode d22 = readDigest(22);
        d22.put("digestVersion", "2");
        writeDigest(22, d22);

        VerificationReport report = verify();

        assertThat(report.findings(Problem.DIGEST_MALFORMED)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("unsupported digestVersion"));
    }

    @Test
    void verifyDetectsAPlantedLineThatIsNotAValidRecord() throws IOException {
        List<String> lines = lines(dir.resolve(log(20)));
        lines.add(lines.get(0).replace("\"encryptionAlgorithm\"", "\"Plaintext\":\"c2VjcmV0\",\"encryptionAlgorithm\""));
        writeLines(log(20), lines);

        VerificationReport report = verify();

        assertThat(problems(report)).containsExactlyInAnyOrder(
                Problem.RECORD_MALFORMED, Problem.LOG_HASH_MISMATCH, Problem.RECORD_COUNT_MISMATCH);
        assertThat(report.findings(Problem.RECORD_MALFORMED).get(0).detail())
                .contains("line 6").contains("looks secret").doesNotContain("c2VjcmV0");
    }

    @Test
    void verifyToleratesOverlappingCallsWhoseEventTimesStepBackBriefly() {
        Path other = dir.resolve("overlapping");
        Instant t = H20.plusSeconds(600);
        clock.set(t);
        try (AuditTrail trail = AuditTrail.open(other, signer, clock)) {
            trail.append(TestRecords.decrypt(t, "alice", "k-1"));
            trail.append(TestRecords.decrypt(t.minusSeconds(20), "bob", "k-1")); // arrived earlier, finished later
        }

        assertThat(AuditVerifier.verify(other, signer).findings()).isEmpty();
        assertThat(AuditVerifier.verify(other, signer, AuditVerifier.Options.defaults()
                .withEventTimeTolerance(Duration.ofSeconds(5))).findings())
                .extracting(Finding::problem).containsExactly(Problem.RECORDS_OUT_OF_ORDER);
    }

    @Test
    void verifyWithAnotherKeyRejectsEveryDigest() {
        VerificationReport report = AuditVerifier.verify(dir, JcaAuditSigner.generateP256("audit/test"));

        assertThat(report.findings(Problem.SIGNATURE_INVALID)).hasSize(HOURS);
    }

    @Test
    void verifyWithAVerifyOnlyPublicKeyAcceptsTheTrail() {
        VerificationReport report = AuditVerifier.verify(dir, JcaAuditSigner.verifyOnly("audit/test", signer.publicKey()));

        assertThat(report.findings()).isEmpty();
    }

    @Test
    void verifyReportsTheOpenHourAsNotYetCovered() {
        clock.set(H20.plus(Duration.ofHours(HOURS)).plusSeconds(60));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(TestRecords.decrypt(clock.instant(), "alice", "k-1"));
            trail.append(TestRecords.decrypt(clock.instant(), "alice", "k-1"));

            VerificationReport report = verify();

            assertThat(report.ok()).isTrue();
            assertThat(report.findings()).extracting(Finding::problem).containsExactly(Problem.UNDIGESTED_OPEN_FILE);
            assertThat(report.summary().recordsNotCovered()).isEqualTo(2);
            assertThat(report.toText()).contains("NOT COVERED: 2 record(s)");
            // A trail that should be closed must not have an open file.
            assertThat(AuditVerifier.verify(dir, signer, AuditVerifier.Options.defaults().closedTrail())
                    .has(Problem.DIGEST_MISSING)).isTrue();
        }
    }

    @Test
    void removingTheNewestHoursIsCaughtOnlyAgainstAnAnchorKeptOutsideTheTrail() throws IOException {
        String anchor = verify().summary().chainTipSha256();
        Files.delete(dir.resolve(log(23)));
        Files.delete(dir.resolve(digest(23)));

        // The chain's end carries no proof that nothing followed it ...
        assertThat(verify().ok()).isTrue();
        // ... but the tip recorded earlier is gone.
        VerificationReport anchored = AuditVerifier.verify(dir, signer, AuditVerifier.Options.defaults().withAnchor(anchor));
        assertThat(problems(anchored)).containsExactly(Problem.ANCHOR_NOT_FOUND);
    }

    @Test
    void anAnchorStillInTheChainIsFoundAfterMoreHoursAreSealed() {
        String anchor = verify().summary().chainTipSha256();
        clock.set(H20.plus(Duration.ofHours(HOURS + 1)));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(TestRecords.decrypt(clock.instant(), "alice", "k-1"));
        }

        VerificationReport report = AuditVerifier.verify(dir, signer, AuditVerifier.Options.defaults().withAnchor(anchor));

        assertThat(report.findings()).isEmpty();
    }

    private static List<Problem> problems(VerificationReport report) {
        return report.findings().stream().map(Finding::problem).toList();
    }

    private void writeLines(String relative, List<String> lines) throws IOException {
        List<String> copy = new ArrayList<>(lines);
        Files.writeString(dir.resolve(relative), String.join("\n", copy) + "\n", StandardCharsets.UTF_8);
    }

    private ObjectNode readDigest(int hour) throws IOException {
        return (ObjectNode) JSON.readTree(dir.resolve(digest(hour)).toFile());
    }

    private void writeDigest(int hour, ObjectNode digest) throws IOException {
        Files.write(dir.resolve(digest(hour)), (JSON.writeValueAsString(digest) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

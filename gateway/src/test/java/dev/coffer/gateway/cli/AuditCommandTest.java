package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.HsmAuditSigner;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditTrail;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer audit} in-process, on a trail written exactly as the gateway writes it: the software
 * HSM in {@code <data-dir>/hsm} signs the digests of {@code <data-dir>/audit/kms}.
 */
class AuditCommandTest {
    private static final String ACCOUNT = "111122223333";
    private static final String REGION = "us-east-1";
    private static final Instant H20 = Instant.parse("2025-05-20T20:00:00Z");
    private static final String LOG_21 = "2025/05/20/coffer-kms-20250520T21Z.jsonl";
    private static final String DIGEST_21 = "digests/2025/05/20/coffer-kms-20250520T21Z-digest.json";
    /** Hours 20, 21 and 22, in the order written. */
    private static final List<String> LOGS = List.of(
            "2025/05/20/coffer-kms-20250520T20Z.jsonl", LOG_21, "2025/05/20/coffer-kms-20250520T22Z.jsonl");

    @TempDir
    Path temp;
    Path dataDir;
    Path trail;

    private final Map<String, String> environment = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Five calls over three hours, sealed: three log files, three digests. */
    @BeforeEach
    void writeTrailAsTheGatewayDoes() throws Exception {
        dataDir = temp.resolve("data");
        trail = dataDir.resolve("audit").resolve("kms");
        SettableClock clock = new SettableClock(H20);
        try (SoftwareHsm hsm = SoftwareHsm.open(dataDir.resolve("hsm"));
             AuditTrail audit = AuditTrail.open(trail, new HsmAuditSigner(hsm, HsmAuditSigner.DEFAULT_LABEL), clock)) {
            audit.append(call(clock, "20:01", "Encrypt", "alice", "k1"));
            audit.append(call(clock, "20:10", "Decrypt", "bob", "k1"));
            audit.append(call(clock, "21:05", "Decrypt", "alice", "k2"));
            audit.append(call(clock, "21:20", "GenerateDataKey", "bob", "k2"));
            audit.append(call(clock, "22:15", "Decrypt", "alice", "k1"));
        }
    }

    private static AuditRecord call(SettableClock clock, String time, String eventName, String userName, String keyId) {
        clock.now = Instant.parse("2025-05-20T" + time + ":00Z");
        String keyArn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
        return AuditRecord.builder()
                .userIdentity(AuditRecord.UserIdentity.iamUser("AIDA" + userName.toUpperCase(Locale.ROOT),
                        "arn:aws:iam::" + ACCOUNT + ":user/" + userName, ACCOUNT, "AKIA" + userName.toUpperCase(Locale.ROOT),
                        userName))
                .eventTime(clock.now)
                .eventName(eventName)
                .awsRegion(REGION)
                .sourceIpAddress("192.0.2.10")
                .userAgent("aws-cli/2.15.0")
                .requestParameters(Map.of("keyId", keyId))
                .requestId(UUID.randomUUID().toString())
                .readOnly(true)
                .kmsKeyResource(keyArn, ACCOUNT)
                .recipientAccountId(ACCOUNT)
                .build();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return CofferCli.execute(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private List<String> storedLinesNewestFirst() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String log : LOGS) {
            lines.addAll(Files.readAllLines(trail.resolve(log), StandardCharsets.UTF_8));
        }
        return lines.reversed();
    }

    // --- verify

    @Test
    void verifyPassesOnAnUntouchedTrailWithTheKeyFromTheHsm() {
        int exitCode = run("audit", "verify", "--data-dir", dataDir.toString());

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("audit trail OK: 0 error(s), 0 warning(s)")
                .contains("checked 3 log file(s), 3 digest file(s), 5 record(s) under signed digests")
                .contains("key:    " + HsmAuditSigner.DEFAULT_LABEL + " from the HSM");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void verifyFailsWithExitOneAfterAByteOfALogLineIsFlipped() throws IOException {
        Path log = trail.resolve(LOG_21);
        byte[] bytes = Files.readAllBytes(log);
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("alice");
        bytes[at] ^= 0x01; // "alice" becomes "`lice": still a valid record, no longer the signed one
        Files.write(log, bytes);

        int exitCode = run("audit", "verify", "--data-dir", dataDir.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .startsWith("trail:  " + trail)
                .contains("audit trail FAILED verification")
                .containsPattern("ERROR +LOG_HASH_MISMATCH +" + Pattern.quote(LOG_21));
    }

    @Test
    void verifyFailsWithExitOneAfterADigestIsDeleted() throws IOException {
        Files.delete(trail.resolve(DIGEST_21));

        int exitCode = run("audit", "verify", "--data-dir", dataDir.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .contains("audit trail FAILED verification")
                .containsPattern("ERROR +DIGEST_MISSING +" + Pattern.quote(LOG_21))
                .containsPattern("ERROR +CHAIN_BROKEN ");
    }

    @Test
    void verifyOfAClosedTrailPassesWithClosed() {
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--closed")).isZero();
    }

    @Test
    void verifyPassesWithThePrintedPublicKeyWhileTheHsmIsInUse() throws Exception {
        assertThat(run("audit", "public-key", "--data-dir", dataDir.toString())).isZero();
        String pem = out.toString();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        Path keyFile = Files.writeString(temp.resolve("audit-signing-key.pem"), pem);

        // A running gateway holds the software HSM; the auditor's copy of the key needs none.
        SoftwareHsm heldByTheGateway = SoftwareHsm.open(dataDir.resolve("hsm"));
        try {
            assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--public-key", keyFile.toString()))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).contains("audit trail OK").contains("from " + keyFile);
        } finally {
            heldByTheGateway.close();
        }
    }

    @Test
    void verifyWhileTheSoftwareHsmIsInUseSaysSoAndSuggestsPublicKey() throws Exception {
        SoftwareHsm heldByTheGateway = SoftwareHsm.open(dataDir.resolve("hsm"));
        try {
            int exitCode = run("audit", "verify", "--data-dir", dataDir.toString());

            assertThat(exitCode).isEqualTo(1);
            assertThat(err.toString().lines()).singleElement().asString()
                    .startsWith("coffer: the software HSM at " + dataDir.resolve("hsm") + " is in use")
                    .contains("--public-key");
        } finally {
            heldByTheGateway.close();
        }
    }

    @Test
    void verifyWithSomeoneElsesDerPublicKeyReportsEveryDigestSignatureInvalid() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Path der = Files.write(temp.resolve("other.der"), generator.generateKeyPair().getPublic().getEncoded());

        int exitCode = run("audit", "verify", "--data-dir", dataDir.toString(), "--public-key", der.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString().lines().filter(line -> line.contains("SIGNATURE_INVALID"))).hasSize(3);
    }

    @Test
    void verifyWithAPublicKeyFileThatHoldsNoKeyIsAUsageError() throws IOException {
        Path notAKey = Files.writeString(temp.resolve("key.pem"), "hello\n");

        assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--public-key", notAKey.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --public-key " + notAKey + ": not an EC public key");
    }

    @Test
    void verifyPassesWithThePrintedChainTipAsAnchorAndFailsWithAnUnknownAnchor() {
        run("audit", "verify", "--data-dir", dataDir.toString());
        Matcher tip = Pattern.compile("chain tip: \\S+ sha256 ([0-9a-f]{64})").matcher(out.toString());
        assertThat(tip.find()).isTrue();

        assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--anchor", tip.group(1))).isZero();
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--anchor", "0".repeat(64))).isEqualTo(1);
        assertThat(out.toString()).contains("ANCHOR_NOT_FOUND");
    }

    @Test
    void verifyWithAMalformedAnchorIsAUsageError() {
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString(), "--anchor", "abc")).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --anchor: must be a SHA-256 in hex");
    }

    @Test
    void verifyOfAMissingDataDirIsAUsageErrorNamingTheSetting() {
        assertThat(run("audit", "verify", "--data-dir", temp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --data-dir (coffer.gateway.data-dir / COFFER_DATA_DIR): no such directory");
    }

    @Test
    void verifyReadsTheDataDirFromTheEnvironmentAsServeDoes() {
        environment.put("COFFER_DATA_DIR", dataDir.toString());

        assertThat(run("audit", "verify")).as(err.toString()).isZero();
    }

    @Test
    void publicKeyOfADataDirWithoutHsmCreatesNothing() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));

        assertThat(run("audit", "public-key", "--data-dir", empty.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("coffer: no software HSM at " + empty.resolve("hsm"));
        assertThat(empty.resolve("hsm")).doesNotExist();
    }

    // --- lookup

    @Test
    void lookupPrintsEveryRecordNewestFirstExactlyAsStored() throws IOException {
        int exitCode = run("audit", "lookup", "--data-dir", dataDir.toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString().lines().toList()).isEqualTo(storedLinesNewestFirst());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void lookupFiltersByKeyEventNameAndUser() {
        run("audit", "lookup", "--data-dir", dataDir.toString(), "--key-id", "k1", "--event-name", "Decrypt",
                "--user", "alice");

        assertThat(out.toString().lines()).singleElement().asString()
                .contains("\"eventTime\":\"2025-05-20T22:15:00Z\"").contains("\"eventName\":\"Decrypt\"");
    }

    @Test
    void lookupMatchesAKeyByItsArnToo() {
        run("audit", "lookup", "--data-dir", dataDir.toString(), "--key-id",
                "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/k2");

        assertThat(out.toString().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains("key/k2"));
    }

    @Test
    void lookupFiltersByTimeRangeStartInclusiveEndExclusive() {
        run("audit", "lookup", "--data-dir", dataDir.toString(),
                "--start-time", "2025-05-20T20:10:00Z", "--end-time", "2025-05-20T23:20:00+02:00");

        assertThat(out.toString().lines().map(line -> line.replaceAll(".*\"eventTime\":\"([^\"]+)\".*", "$1")))
                .containsExactly("2025-05-20T21:05:00Z", "2025-05-20T20:10:00Z");
    }

    @Test
    void lookupStopsAtMaxResultsKeepingTheNewest() throws IOException {
        run("audit", "lookup", "--data-dir", dataDir.toString(), "--max-results", "2");

        assertThat(out.toString().lines().toList()).isEqualTo(storedLinesNewestFirst().subList(0, 2));
    }

    @Test
    void lookupThatMatchesNothingPrintsNothingAndExitsZero() {
        assertThat(run("audit", "lookup", "--data-dir", dataDir.toString(), "--user", "mallory")).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void lookupWithAnUnreadableTimeIsAUsageError() {
        assertThat(run("audit", "lookup", "--data-dir", dataDir.toString(), "--start-time", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --start-time: must be an ISO-8601 time");
    }

    @Test
    void lookupWithAnEmptyTimeRangeIsAUsageError() {
        assertThat(run("audit", "lookup", "--data-dir", dataDir.toString(),
                "--start-time", "2025-05-21", "--end-time", "2025-05-20")).isEqualTo(2);
        assertThat(err.toString()).startsWith("coffer: --end-time: must be after --start-time");
    }

    @Test
    void lookupIgnoresAPkcs11HsmItDoesNotNeed() {
        environment.put("COFFER_HSM", "pkcs11"); // with no library, label or PIN file: invalid for serve

        assertThat(run("audit", "lookup", "--data-dir", dataDir.toString())).as(err.toString()).isZero();
    }

    @Test
    void auditWithoutASubcommandIsAUsageError() {
        assertThat(run("audit")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command").contains("coffer audit verify");
    }

    /** A UTC clock the test sets, so the trail rolls over hours without waiting. */
    private static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the trail works in UTC");
        }
    }
}

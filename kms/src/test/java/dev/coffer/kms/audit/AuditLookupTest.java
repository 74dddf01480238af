package dev.coffer.kms.audit;

import static dev.coffer.kms.audit.TestRecords.ACCOUNT;
import static dev.coffer.kms.audit.TestRecords.keyArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.audit.AuditLookup.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLookupTest {
    private static final Instant H20 = Instant.parse("2025-05-20T20:00:00Z");

    @TempDir
    Path dir;

    private final JcaAuditSigner signer = JcaAuditSigner.generateP256("audit/test");
    private final MutableClock clock = new MutableClock(H20);

    private static Instant at(String hhmm) {
        return Instant.parse("2025-05-20T" + hhmm + ":00Z");
    }

    /** Three sealed hours of calls by alice, bob and mallory on keys k-1 and k-2, and a rotation. */
    @BeforeEach
    void writeTrail() {
        List<AuditRecord> records = List.of(
                TestRecords.call("Decrypt", at("20:05"), "alice", "k-1", keyArn("k-1")),
                TestRecords.call("GenerateDataKey", at("20:10"), "bob", "k-2", "alias/photos"),
                TestRecords.call("Encrypt", at("20:15"), "alice", "k-2", "k-2"),
                TestRecords.call("Decrypt", at("21:05"), "bob", "k-1", keyArn("k-1")),
                TestRecords.call("Decrypt", at("21:30"), "alice", "k-1", keyArn("k-1")),
                denied(at("21:40")),
                rotation(at("22:00")));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            for (AuditRecord r : records) {
                clock.set(r.eventTime());
                trail.append(r);
            }
        }
    }

    private static AuditRecord denied(Instant time) {
        return AuditRecord.builder()
                .userIdentity(TestRecords.user("mallory"))
                .eventTime(time)
                .eventName("Decrypt")
                .awsRegion(TestRecords.REGION)
                .sourceIpAddress("198.51.100.7")
                .error("AccessDeniedException", "User: " + TestRecords.userArn("mallory")
                        + " is not authorized to perform: kms:Decrypt")
                .requestParameters(Map.of("keyId", "k-1"))
                .requestId(UUID.randomUUID().toString())
                .readOnly(true)
                .kmsKeyResource(keyArn("k-1"), ACCOUNT)
                .recipientAccountId(ACCOUNT)
                .build();
    }

    private static AuditRecord rotation(Instant time) {
        return AuditRecord.serviceEventBuilder(ACCOUNT)
                .eventTime(time)
                .eventName("RotateKey")
                .awsRegion(TestRecords.REGION)
                .kmsKeyResource(keyArn("k-1"), ACCOUNT)
                .serviceEventDetails(Map.of("rotationType", "AUTOMATIC"))
                .build();
    }

    private List<String> find(Query query) {
        return AuditLookup.find(dir, query).records().stream()
                .map(r -> r.eventTime().toString().substring(11, 16) + " " + r.eventName() + " "
                        + (r.userIdentity().userName() == null ? "-" : r.userIdentity().userName()))
                .toList();
    }

    @Test
    void findsByKeyIdGivenAsIdOrArnNewestFirstIncludingDeniedCallsAndServiceEvents() {
        List<String> expected = List.of(
                "22:00 RotateKey -", "21:40 Decrypt mallory", "21:30 Decrypt alice", "21:05 Decrypt bob",
                "20:05 Decrypt alice");

        assertThat(find(Query.all().withKeyId("k-1"))).isEqualTo(expected);
        assertThat(find(Query.all().withKeyId(keyArn("k-1")))).isEqualTo(expected);
    }

    @Test
    void findsByTheAliasTheCallerNamed() {
        assertThat(find(Query.all().withKeyId("alias/photos"))).containsExactly("20:10 GenerateDataKey bob");
        assertThat(find(Query.all().withKeyId("arn:aws:kms:us-west-2:111122223333:alias/photos")))
                .containsExactly("20:10 GenerateDataKey bob");
    }

    @Test
    void findsReEncryptByEitherKeyItNamed() {
        Path other = dir.resolve("reencrypt");
        AuditRecord reEncrypt = AuditRecord.builder()
                .userIdentity(TestRecords.user("alice")).eventTime(at("20:30")).eventName("ReEncrypt")
                .awsRegion(TestRecords.REGION).sourceIpAddress("192.0.2.10").requestId("r-1").readOnly(true)
                .recipientAccountId(ACCOUNT)
                .requestParameters(Map.of("sourceKeyId", "alias/old", "destinationKeyId", "k-9"))
                .build();
        try (AuditTrail trail = AuditTrail.open(other, signer, clock)) {
            trail.append(reEncrypt);
        }

        assertThat(AuditLookup.find(other, Query.all().withKeyId("alias/old")).records()).containsExactly(reEncrypt);
        assertThat(AuditLookup.find(other, Query.all().withKeyId(keyArn("k-9"))).records()).containsExactly(reEncrypt);
    }

    @Test
    void findsByEventName() {
        assertThat(find(Query.all().withEventName("Decrypt"))).containsExactly(
                "21:40 Decrypt mallory", "21:30 Decrypt alice", "21:05 Decrypt bob", "20:05 Decrypt alice");
    }

    @Test
    void findsByUserNamePrincipalArnOrPrincipalId() {
        List<String> bob = List.of("21:05 Decrypt bob", "20:10 GenerateDataKey bob");

        assertThat(find(Query.all().withUser("bob"))).isEqualTo(bob);
        assertThat(find(Query.all().withUser(TestRecords.userArn("bob")))).isEqualTo(bob);
        assertThat(find(Query.all().withUser("AIDABOB"))).isEqualTo(bob);
    }

    @Test
    void findsWithinATimeRangeThatIncludesItsStartAndExcludesItsEnd() {
        assertThat(find(Query.all().withTimeRange(at("21:05"), at("21:40"))))
                .containsExactly("21:30 Decrypt alice", "21:05 Decrypt bob");
        assertThat(find(Query.all().withTimeRange(at("21:35"), null)))
                .containsExactly("22:00 RotateKey -", "21:40 Decrypt mallory");
    }

    @Test
    void returnsTheNewestRecordsUpToTheLimitAcrossFiles() {
        assertThat(find(Query.all().withLimit(4))).containsExactly(
                "22:00 RotateKey -", "21:40 Decrypt mallory", "21:30 Decrypt alice", "21:05 Decrypt bob");
        assertThat(find(Query.all().withLimit(1))).containsExactly("22:00 RotateKey -");
    }

    @Test
    void combinesCriteria() {
        assertThat(find(Query.all().withKeyId("k-1").withUser("alice").withEventName("Decrypt")))
                .containsExactly("21:30 Decrypt alice", "20:05 Decrypt alice");
    }

    @Test
    void readsOnlyTheFilesThatCanHoldTheTimeRange() {
        AuditLookup.Result result = AuditLookup.find(dir, Query.all().withTimeRange(at("20:00"), at("20:30")));

        assertThat(result.records()).hasSize(3);
        assertThat(result.filesRead()).isEqualTo(2); // hour 20, and hour 21 for calls that ended after the hour
    }

    @Test
    void skipsAndCountsLinesThatAreNotRecords() throws IOException {
        Path hour21 = dir.resolve("2025/05/20/coffer-kms-20250520T21Z.jsonl");
        Files.writeString(hour21, "not json\n", StandardOpenOption.APPEND);

        AuditLookup.Result result = AuditLookup.find(dir, Query.all().withEventName("Decrypt"));

        assertThat(result.records()).hasSize(4);
        assertThat(result.malformedLinesSkipped()).isEqualTo(1);
    }

    @Test
    void findsRecordsOfTheHourStillOpen() {
        clock.set(at("23:10"));
        try (AuditTrail trail = AuditTrail.open(dir, signer, clock)) {
            trail.append(TestRecords.decrypt(clock.instant(), "carol", "k-3"));

            assertThat(find(Query.all().withKeyId("k-3"))).containsExactly("23:10 Decrypt carol");
        }
    }

    @Test
    void rejectsAnEmptyTimeRangeAndAnUnreasonableLimit() {
        assertThatThrownBy(() -> Query.all().withTimeRange(at("21:00"), at("21:00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.all().withLimit(Query.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failsOnADirectoryThatDoesNotExist() {
        assertThatThrownBy(() -> AuditLookup.find(dir.resolve("absent"), Query.all()))
                .isInstanceOf(AuditTrailException.class);
    }
}

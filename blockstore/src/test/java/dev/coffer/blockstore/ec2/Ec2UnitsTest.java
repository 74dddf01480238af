package dev.coffer.blockstore.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.service.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Filters, pagination, ids, XML rendering, records. */
class Ec2UnitsTest {
    private static Ec2Error errorOf(Runnable r) {
        try {
            r.run();
        } catch (Ec2Exception e) {
            return e.error();
        }
        throw new AssertionError("no error");
    }

    @Test
    void filterValuesUseEc2Wildcards() {
        assertThat(new Ec2Filter("f", List.of("gp*")).matchesAny(List.of("gp3"))).isTrue();
        assertThat(new Ec2Filter("f", List.of("gp?")).matchesAny(List.of("gp3"))).isTrue();
        assertThat(new Ec2Filter("f", List.of("gp?")).matchesAny(List.of("gp33"))).isFalse();
        assertThat(new Ec2Filter("f", List.of("a\\*b")).matchesAny(List.of("a*b"))).isTrue();
        assertThat(new Ec2Filter("f", List.of("a\\*b")).matchesAny(List.of("axb"))).isFalse();
        assertThat(new Ec2Filter("f", List.of("a.c")).matchesAny(List.of("abc"))).isFalse();
        assertThat(new Ec2Filter("f", List.of("x", "y")).matchesAny(List.of("y"))).isTrue();
        assertThat(new Ec2Filter("f", List.of("*")).matchesAny(List.of())).isFalse();
    }

    @Test
    void filtersAreAndedAndUnknownNamesRefused() {
        List<String> items = List.of("a1", "a2", "b1");
        Ec2Filter.ValuesOf<String> valuesOf = (item, name) -> switch (name) {
            case "letter" -> List.of(item.substring(0, 1));
            case "digit" -> List.of(item.substring(1));
            default -> null;
        };
        assertThat(Ec2Filter.apply(List.of(new Ec2Filter("letter", List.of("a")), new Ec2Filter("digit", List.of("1"))), items, valuesOf))
                .containsExactly("a1");
        assertThat(errorOf(() -> Ec2Filter.apply(List.of(new Ec2Filter("colour", List.of("x"))), items, valuesOf)))
                .isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
    }

    @Test
    void pagesResumeAfterTheTokenAndRefuseForgedOnes() {
        List<String> ids = List.of("vol-00000001", "vol-00000002", "vol-00000003");
        Ec2Page<String> first = Ec2Page.of(ids, s -> s, Optional.empty(), 2);
        assertThat(first.items()).containsExactly("vol-00000001", "vol-00000002");
        assertThat(first.nextToken()).isPresent();
        Ec2Page<String> second = Ec2Page.of(ids, s -> s, first.nextToken(), 2);
        assertThat(second.items()).containsExactly("vol-00000003");
        assertThat(second.nextToken()).isEmpty();
        assertThat(Ec2Page.of(ids, s -> s, Optional.empty(), 3).nextToken()).isEmpty();
        assertThat(errorOf(() -> Ec2Page.of(ids, s -> s, Optional.of("!!"), 2))).isEqualTo(Ec2Error.INVALID_PAGINATION_TOKEN);
        assertThat(errorOf(() -> Ec2Page.of(ids, s -> s, Optional.of(Ec2Page.encode("../etc")), 2)))
                .isEqualTo(Ec2Error.INVALID_PAGINATION_TOKEN);
    }

    @Test
    void idsAreAPrefixAnd17LowerCaseHexDigits() {
        Ec2Ids ids = new Ec2Ids(new SecureRandom());
        assertThat(ids.newVolumeId()).matches("vol-[0-9a-f]{17}");
        assertThat(ids.newSnapshotId()).matches("snap-[0-9a-f]{17}");
        assertThat(Ec2Ids.volumeId("vol-0123456789abcdef0")).isEqualTo("vol-0123456789abcdef0");
        assertThat(Ec2Ids.volumeId("vol-01234567")).isEqualTo("vol-01234567");
        assertThat(errorOf(() -> Ec2Ids.volumeId("vol-0123456789ABCDEF0"))).isEqualTo(Ec2Error.INVALID_VOLUME_ID_MALFORMED);
        assertThat(errorOf(() -> Ec2Ids.volumeId("snap-0123456789abcdef0"))).isEqualTo(Ec2Error.INVALID_VOLUME_ID_MALFORMED);
        assertThat(errorOf(() -> Ec2Ids.snapshotId("snap-012"))).isEqualTo(Ec2Error.INVALID_SNAPSHOT_ID_MALFORMED);
        assertThat(errorOf(() -> Ec2Ids.instanceId("i-0123456789abcdef"))).isEqualTo(Ec2Error.INVALID_INSTANCE_ID_MALFORMED);
        assertThat(Ec2Ids.instanceId("i-0123456789abcdef0")).isEqualTo("i-0123456789abcdef0");
    }

    @Test
    void rendersSuccessWithTheRequestIdFirstAndNestedItems() {
        ServiceResponse r = Ec2XmlRenderer.success("rid", Ec2Operation.DescribeVolumes, List.of(
                Ec2XmlNode.items("volumeSet", List.of(List.of(Ec2XmlNode.text("volumeId", "vol-1"),
                        Ec2XmlNode.date("createTime", Instant.parse("2026-11-28T12:00:00Z")))))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DescribeVolumesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>rid</requestId>"
                + "<volumeSet><item><volumeId>vol-1</volumeId><createTime>2026-11-28T12:00:00.000Z</createTime></item></volumeSet>"
                + "</DescribeVolumesResponse>");
    }

    @Test
    void rendersErrorsWithTheirStatusAndEscapedMessages() {
        ServiceResponse r = Ec2XmlRenderer.error("rid", Ec2Error.INVALID_VOLUME_NOT_FOUND, "The volume '<x>' does not exist.");
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("<Response><Errors><Error><Code>InvalidVolume.NotFound</Code>"
                + "<Message>The volume &apos;&lt;x&gt;&apos; does not exist.</Message></Error></Errors><RequestID>rid</RequestID></Response>");
        assertThat(Ec2XmlRenderer.error("r", Ec2Error.DRY_RUN_OPERATION, "m").status()).isEqualTo(412);
        assertThat(Ec2XmlRenderer.error("r", Ec2Error.UNAUTHORIZED_OPERATION, "m").status()).isEqualTo(403);
        assertThat(Ec2XmlRenderer.error("r", Ec2Error.REQUEST_LIMIT_EXCEEDED, "m").status()).isEqualTo(503);
        assertThat(Ec2XmlRenderer.error("r", Ec2Error.INTERNAL_ERROR, "m").status()).isEqualTo(500);
    }

    @Test
    void recordsNeverShowTheirDataKeyAndRefuseUnknownVersions() {
        byte[] edk = "ENCRYPTED-DATA-KEY-BYTES".getBytes(StandardCharsets.US_ASCII);
        Ec2VolumeRecord v = new Ec2VolumeRecord(1, "vol-1", "123", 1, "gp3", 3000, 125, "us-east-1a", null, "available",
                Instant.EPOCH, true, "arn:k", edk, "dek-1", "vol-1", List.of(), null, false, 4096);
        assertThat(v.toString()).doesNotContain("ENCRYPTED").doesNotContain(java.util.Base64.getEncoder().encodeToString(edk));
        InMemoryVolumeEngine engine = new InMemoryVolumeEngine();
        Ec2RecordStore store = new Ec2RecordStore(engine.records());
        store.put(v);
        Ec2VolumeRecord read = new Ec2RecordStore(engine.records()).existingVolume("vol-1");
        assertThat(read).isEqualTo(v);
        assertThat(read.encryptedDataKey()).isEqualTo(edk);
        engine.records().put("ec2/volume/vol-2", "{\"version\":2,\"volumeId\":\"vol-2\",\"state\":\"available\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new Ec2RecordStore(engine.records())).hasMessageContaining("format version 2");
        assertThatThrownBy(() -> new Ec2VolumeRecord(1, "vol-1", "1", 1, "gp3", null, null, "z", null, "available",
                Instant.EPOCH, true, null, null, null, null, List.of(), null, false, 4096)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void volumeTypesEnforceTheirRanges() {
        assertThat(Ec2VolumeType.GP3.check(8, Optional.empty(), Optional.empty())).isEqualTo(new Ec2VolumeType.Performance(3000, 125));
        assertThat(Ec2VolumeType.GP2.check(1000, Optional.empty(), Optional.empty()).iops()).isEqualTo(3000);
        assertThat(Ec2VolumeType.STANDARD.check(8, Optional.empty(), Optional.empty())).isEqualTo(new Ec2VolumeType.Performance(null, null));
        assertThat(errorOf(() -> Ec2VolumeType.IO2.check(8, Optional.empty(), Optional.empty()))).isEqualTo(Ec2Error.MISSING_PARAMETER);
        assertThat(errorOf(() -> Ec2VolumeType.GP3.check(8, Optional.of(99_999), Optional.empty())))
                .isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Ec2VolumeType.IO1.check(8, Optional.of(100), Optional.of(200))))
                .isEqualTo(Ec2Error.INVALID_PARAMETER_COMBINATION);
        assertThat(errorOf(() -> Ec2VolumeType.STANDARD.check(2000, Optional.empty(), Optional.empty())))
                .isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
    }
}

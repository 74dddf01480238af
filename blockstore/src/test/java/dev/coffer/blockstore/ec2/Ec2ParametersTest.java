package dev.coffer.blockstore.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.service.ServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ec2ParametersTest {
    private static Ec2Parameters form(String body) {
        return Ec2Parameters.of(new ServiceRequest("r", "POST", "/", "", List.of(Map.entry("Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8")), body.getBytes(StandardCharsets.UTF_8), null, false,
                Instant.EPOCH));
    }

    private static Ec2Error errorOf(Runnable r) {
        try {
            r.run();
        } catch (Ec2Exception e) {
            return e.error();
        }
        throw new AssertionError("no error");
    }

    @Test
    void readsFlattenedListsInIndexOrder() {
        Ec2Parameters p = form("VolumeId.2=vol-2&VolumeId.1=vol-1&VolumeId.10=vol-10&VolumeIdX=no");
        assertThat(p.list("VolumeId")).containsExactly("vol-1", "vol-2", "vol-10");
        assertThat(p.list("SnapshotId")).isEmpty();
    }

    @Test
    void readsFiltersWithTheirValues() {
        Ec2Parameters p = form("Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod&Filter.1.Value.2=dev&Filter.2.Name=size&Filter.2.Value.1=8");
        assertThat(p.filters()).containsExactly(new Ec2Filter("tag:env", List.of("prod", "dev")), new Ec2Filter("size", List.of("8")));
        assertThat(errorOf(() -> form("Filter.1.Value.1=x").filters())).isEqualTo(Ec2Error.MISSING_PARAMETER);
    }

    @Test
    void readsTagSpecificationsForTheRightResourceType() {
        Ec2Parameters p = form("TagSpecification.1.ResourceType=volume&TagSpecification.1.Tag.1.Key=Name"
                + "&TagSpecification.1.Tag.1.Value=data&TagSpecification.1.Tag.2.Key=empty");
        assertThat(p.tagSpecifications("volume")).containsExactly(new Ec2Tag("Name", "data"), new Ec2Tag("empty", ""));
        assertThat(errorOf(() -> p.tagSpecifications("snapshot"))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> form("TagSpecification.1.Tag.1.Key=a").tagSpecifications("volume")))
                .isEqualTo(Ec2Error.MISSING_PARAMETER);
    }

    @Test
    void tagsForDeleteMayLeaveOutTheValue() {
        assertThat(form("Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=").tags("Tag", true))
                .containsExactly(new Ec2Tag("a", null), new Ec2Tag("b", ""));
    }

    @Test
    void parsesBooleansAndIntegersStrictly() {
        Ec2Parameters p = form("Encrypted=TRUE&DryRun=false&Size=8&Iops=lots&Force=1");
        assertThat(p.bool("Encrypted")).contains(true);
        assertThat(p.flag("DryRun")).isFalse();
        assertThat(p.flag("Missing")).isFalse();
        assertThat(p.integer("Size")).contains(8);
        assertThat(errorOf(() -> p.integer("Iops"))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> p.bool("Force"))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
    }

    @Test
    void readsTheQueryStringAndTheBodyAndRefusesConflictingRepeats() {
        Ec2Parameters p = Ec2Parameters.of(new ServiceRequest("r", "POST", "/", "DestinationRegion=us-east-1&A=1", List.of(),
                "DestinationRegion=us-east-1&B=2".getBytes(StandardCharsets.UTF_8), null, false, Instant.EPOCH));
        assertThat(p.string("A")).contains("1");
        assertThat(p.string("B")).contains("2");
        assertThat(p.string("DestinationRegion")).contains("us-east-1");
        assertThat(errorOf(() -> form("Size=1&Size=2"))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> form("Size=%zz"))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(form("Name=a%20b+c").string("Name")).contains("a b c");
    }

    @Test
    void requiredParametersMustBeThereAndNotEmpty() {
        assertThat(errorOf(() -> form("VolumeId=").required("VolumeId"))).isEqualTo(Ec2Error.MISSING_PARAMETER);
        assertThat(form("VolumeId=vol-1").required("VolumeId")).isEqualTo("vol-1");
    }

    @Test
    void namesParametersButNotValuesInToString() {
        assertThat(form("KmsKeyId=secret-ish").toString()).contains("KmsKeyId").doesNotContain("secret-ish");
    }

    @Test
    void validatesTags() {
        assertThat(errorOf(() -> Ec2Tag.validate(List.of(new Ec2Tag("", "x"))))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Ec2Tag.validate(List.of(new Ec2Tag("AWS:x", "x"))))).isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Ec2Tag.validate(List.of(new Ec2Tag("a", "x"), new Ec2Tag("a", "y")))))
                .isEqualTo(Ec2Error.INVALID_PARAMETER_VALUE);
        assertThatThrownBy(() -> Ec2Tag.validate(java.util.stream.IntStream.range(0, 51).mapToObj(i -> new Ec2Tag("k" + i, "v")).toList()))
                .isInstanceOf(Ec2Exception.class).extracting(e -> ((Ec2Exception) e).error()).isEqualTo(Ec2Error.TAG_LIMIT_EXCEEDED);
    }
}

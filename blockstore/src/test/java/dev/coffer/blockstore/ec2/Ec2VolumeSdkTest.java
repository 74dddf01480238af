package dev.coffer.blockstore.ec2;

import static dev.coffer.blockstore.ec2.Ec2SdkAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVolumeResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeModificationState;
import software.amazon.awssdk.services.ec2.model.VolumeState;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** CreateVolume, DescribeVolumes (filters, pagination), ModifyVolume, DeleteVolume and tags, through the real SDK. */
class Ec2VolumeSdkTest {
    @TempDir
    Path dir;
    Ec2Fixture fixture;
    Ec2Client ec2;

    @BeforeEach
    void start() {
        fixture = new Ec2Fixture(dir, Ec2Fixture.DEFAULT_ENGINE);
        ec2 = fixture.root();
    }

    @AfterEach
    void stop() {
        ec2.close();
        fixture.close();
    }

    private CreateVolumeResponse create(int sizeGiB, VolumeType type, boolean encrypted, Tag... tags) {
        return ec2.createVolume(b -> {
            b.availabilityZone("us-east-1a").size(sizeGiB).volumeType(type).encrypted(encrypted);
            if (type == VolumeType.IO1) {
                b.iops(500);
            }
            if (tags.length > 0) {
                b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
            }
        });
    }

    private List<String> ids(Filter... filters) {
        return ec2.describeVolumes(b -> b.filters(filters)).volumes().stream().map(Volume::volumeId).toList();
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    @Test
    void createsAVolumeThatIsCreatingThenAvailable() {
        CreateVolumeResponse created = create(8, VolumeType.GP3, false, Tag.builder().key("env").value("prod").build());
        assertThat(created.volumeId()).matches("vol-[0-9a-f]{17}");
        assertThat(created.state()).isEqualTo(VolumeState.CREATING);
        assertThat(created.size()).isEqualTo(8);
        assertThat(created.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(created.iops()).isEqualTo(3000);
        assertThat(created.throughput()).isEqualTo(125);
        assertThat(created.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(created.encrypted()).isFalse();
        assertThat(created.kmsKeyId()).isNull();
        assertThat(created.createTime()).isNotNull();
        assertThat(created.tags()).containsExactly(Tag.builder().key("env").value("prod").build());

        Volume described = ec2.describeVolumes(b -> b.volumeIds(created.volumeId())).volumes().getFirst();
        assertThat(described.state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(described.attachments()).isEmpty();
        assertThat(described.tags()).containsExactly(Tag.builder().key("env").value("prod").build());
        assertThat(described.createTime()).isEqualTo(created.createTime());
    }

    @Test
    void acceptsEveryZoneOfTheRegionAndNoOther() {
        for (String zone : List.of("us-east-1a", "us-east-1f")) {
            assertThat(ec2.createVolume(b -> b.availabilityZone(zone).size(1)).availabilityZone()).isEqualTo(zone);
        }
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-west-2a").size(1))))
                .isEqualTo("InvalidZone.NotFound 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1g").size(1))))
                .isEqualTo("InvalidZone.NotFound 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.size(1)))).isEqualTo("MissingParameter 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a")))).isEqualTo("MissingParameter 400");
    }

    @Test
    void validatesVolumeTypesAndTheirSettings() {
        assertThat(create(10, VolumeType.IO1, false).iops()).isEqualTo(500);
        assertThat(create(10, VolumeType.GP2, false).iops()).isEqualTo(100);
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(10).volumeType("gp9"))))
                .isEqualTo("InvalidParameterValue 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(10).volumeType(VolumeType.GP2).iops(300))))
                .isEqualTo("InvalidParameterCombination 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(0)))).isEqualTo("InvalidParameterValue 400");
        assertThat(errorOf(() -> ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(10).volumeType(VolumeType.ST1))))
                .isEqualTo("InvalidParameterValue 400");
    }

    @Test
    void filtersVolumes() {
        String plain = create(8, VolumeType.GP3, false, Tag.builder().key("env").value("prod").build()).volumeId();
        String encrypted = create(16, VolumeType.GP2, true, Tag.builder().key("env").value("dev").build()).volumeId();
        String io = create(20, VolumeType.IO1, false, Tag.builder().key("team").value("db").build()).volumeId();

        assertThat(ids()).containsExactlyInAnyOrder(plain, encrypted, io);
        assertThat(ids(filter("encrypted", "true"))).containsExactly(encrypted);
        assertThat(ids(filter("encrypted", "false"))).containsExactlyInAnyOrder(plain, io);
        assertThat(ids(filter("size", "8", "20"))).containsExactlyInAnyOrder(plain, io);
        assertThat(ids(filter("volume-type", "gp*"))).containsExactlyInAnyOrder(plain, encrypted);
        assertThat(ids(filter("tag:env", "prod"))).containsExactly(plain);
        assertThat(ids(filter("tag:env", "*"))).containsExactlyInAnyOrder(plain, encrypted);
        assertThat(ids(filter("tag-key", "team"))).containsExactly(io);
        assertThat(ids(filter("status", "available"), filter("availability-zone", "us-east-1a"))).hasSize(3);
        assertThat(ids(filter("status", "in-use"))).isEmpty();
        assertThat(ids(filter("volume-id", encrypted))).containsExactly(encrypted);
        assertThat(ids(filter("snapshot-id", "snap-*"))).isEmpty();
        assertThat(ids(filter("attachment.instance-id", "i-*"))).isEmpty();
        assertThat(errorOf(() -> ids(filter("colour", "red")))).isEqualTo("InvalidParameterValue 400");
        assertThat(ec2.describeVolumes(b -> b.volumeIds(io, plain)).volumes()).extracting(Volume::volumeId)
                .containsExactlyInAnyOrder(plain, io);
    }

    @Test
    void pagesThroughVolumes() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(1, VolumeType.GP3, false).volumeId());
        }
        DescribeVolumesResponse first = ec2.describeVolumes(b -> b.maxResults(5));
        assertThat(first.volumes()).hasSize(5);
        assertThat(first.nextToken()).isNotBlank();
        DescribeVolumesResponse second = ec2.describeVolumes(b -> b.maxResults(5).nextToken(first.nextToken()));
        assertThat(second.volumes()).hasSize(2);
        assertThat(second.nextToken()).isNull();
        List<String> all = new ArrayList<>();
        first.volumes().forEach(v -> all.add(v.volumeId()));
        second.volumes().forEach(v -> all.add(v.volumeId()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(created);
        assertThat(ec2.describeVolumesPaginator(b -> b.maxResults(5)).volumes().stream().count()).isEqualTo(7);

        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.maxResults(4)))).isEqualTo("InvalidParameterValue 400");
        // Larger than 500 is at most 500, as DescribeVolumes documents: the aws CLI asks for pages of 1000.
        DescribeVolumesResponse large = ec2.describeVolumes(b -> b.maxResults(1000));
        assertThat(large.volumes()).extracting(Volume::volumeId).containsExactlyInAnyOrderElementsOf(created);
        assertThat(large.nextToken()).isNull();
        assertThat(Ec2Page.maxResults(new Ec2Parameters(java.util.Map.of("MaxResults", "1000")), 5, 500, true, false, "volumeSet"))
                .isEqualTo(500);
        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.maxResults(5).volumeIds(created.getFirst()))))
                .isEqualTo("InvalidParameterCombination 400");
        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.maxResults(5).nextToken("not a token!"))))
                .isEqualTo("InvalidPaginationToken 400");
    }

    @Test
    void reportsUnknownAndMalformedVolumeIds() {
        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.volumeIds("vol-0123456789abcdef0"))))
                .isEqualTo("InvalidVolume.NotFound 400");
        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.volumeIds("vol-xyz")))).isEqualTo("InvalidVolumeID.Malformed 400");
        assertThat(errorOf(() -> ec2.deleteVolume(b -> b.volumeId("vol-0123456789abcdef0")))).isEqualTo("InvalidVolume.NotFound 400");
        assertThat(errorOf(() -> ec2.deleteVolume(b -> b.volumeId("volume-1")))).isEqualTo("InvalidVolumeID.Malformed 400");
    }

    @Test
    void deletesAVolume() {
        String id = create(8, VolumeType.GP3, false).volumeId();
        ec2.deleteVolume(b -> b.volumeId(id));
        assertThat(fixture.stored(id)).isFalse();
        assertThat(errorOf(() -> ec2.describeVolumes(b -> b.volumeIds(id)))).isEqualTo("InvalidVolume.NotFound 400");
        assertThat(errorOf(() -> ec2.deleteVolume(b -> b.volumeId(id)))).isEqualTo("InvalidVolume.NotFound 400");
    }

    @Test
    void growsAVolumeAndRefusesToShrinkIt() {
        String id = create(8, VolumeType.GP3, false).volumeId();
        ModifyVolumeResponse modified = ec2.modifyVolume(b -> b.volumeId(id).size(12).iops(4000));
        assertThat(modified.volumeModification().volumeId()).isEqualTo(id);
        assertThat(modified.volumeModification().originalSize()).isEqualTo(8);
        assertThat(modified.volumeModification().targetSize()).isEqualTo(12);
        assertThat(modified.volumeModification().targetIops()).isEqualTo(4000);
        assertThat(modified.volumeModification().modificationState()).isEqualTo(VolumeModificationState.COMPLETED);
        Volume v = ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst();
        assertThat(v.size()).isEqualTo(12);
        assertThat(v.iops()).isEqualTo(4000);
        assertThat(errorOf(() -> ec2.modifyVolume(b -> b.volumeId(id).size(4)))).isEqualTo("InvalidParameterValue 400");
        assertThat(ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst().size()).isEqualTo(12);
    }

    @Test
    void tagsAndUntagsVolumes() {
        String id = create(8, VolumeType.GP3, false).volumeId();
        ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()));
        ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("a").value("3").build()));
        assertThat(ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst().tags())
                .containsExactly(Tag.builder().key("a").value("3").build(), Tag.builder().key("b").value("2").build());
        ec2.deleteTags(b -> b.resources(id).tags(Tag.builder().key("a").value("wrong").build()));
        assertThat(ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst().tags()).hasSize(2);
        ec2.deleteTags(b -> b.resources(id).tags(Tag.builder().key("a").build()));
        assertThat(ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst().tags())
                .containsExactly(Tag.builder().key("b").value("2").build());
        ec2.deleteTags(b -> b.resources(id));
        assertThat(ec2.describeVolumes(b -> b.volumeIds(id)).volumes().getFirst().tags()).isEmpty();
        assertThat(errorOf(() -> ec2.createTags(b -> b.resources("ami-12345678").tags(Tag.builder().key("a").value("1").build()))))
                .isEqualTo("InvalidID 400");
        assertThat(errorOf(() -> ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("aws:x").value("1").build()))))
                .isEqualTo("InvalidParameterValue 400");
        assertThat(errorOf(() -> ec2.createTags(b -> b.resources("vol-0123456789abcdef0").tags(Tag.builder().key("a").value("1").build()))))
                .isEqualTo("InvalidVolume.NotFound 400");
    }
}

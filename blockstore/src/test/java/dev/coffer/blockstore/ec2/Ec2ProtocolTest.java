package dev.coffer.blockstore.ec2;

import static dev.coffer.blockstore.ec2.Ec2SdkAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.ServiceResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The protocol around the actions: authentication, authorization with identity policies, DryRun,
 * unknown actions, missing parameters, GET requests, the error document.
 */
class Ec2ProtocolTest {
    private static final String ALLOW_DESCRIBE = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}""";
    private static final String ALLOW_VOLUMES_DENY_DELETE = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["ec2:CreateVolume","ec2:DeleteVolume","ec2:DescribeVolumes"],"Resource":"*"},
              {"Effect":"Deny","Action":"ec2:DeleteVolume","Resource":"arn:aws:ec2:us-east-1:*:volume/*"}]}""";

    @TempDir
    Path dir;
    Ec2Fixture fixture;
    Ec2Client root;

    @BeforeEach
    void start() {
        fixture = new Ec2Fixture(dir, Ec2Fixture.DEFAULT_ENGINE);
        root = fixture.root();
    }

    @AfterEach
    void stop() {
        root.close();
        fixture.close();
    }

    private Ec2RawClient raw() {
        return new Ec2RawClient(fixture.service, Ec2Fixture.ROOT_ACCESS_KEY, Ec2Fixture.ROOT_SECRET);
    }

    @Test
    void dryRunSaysWhetherTheCallerWouldHaveBeenAllowedAndChangesNothing() {
        assertThat(errorOf(() -> root.createVolume(b -> b.availabilityZone("us-east-1a").size(1).dryRun(true))))
                .isEqualTo("DryRunOperation 412");
        assertThat(root.describeVolumes().volumes()).isEmpty();
        assertThat(errorOf(() -> root.describeVolumes(b -> b.dryRun(true)))).isEqualTo("DryRunOperation 412");
        assertThat(errorOf(() -> root.enableEbsEncryptionByDefault(b -> b.dryRun(true)))).isEqualTo("DryRunOperation 412");
        assertThat(root.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        try (Ec2Client reader = fixture.user("reader", ALLOW_DESCRIBE)) {
            assertThat(errorOf(() -> reader.createVolume(b -> b.availabilityZone("us-east-1a").size(1).dryRun(true))))
                    .isEqualTo("UnauthorizedOperation 403");
            assertThat(errorOf(() -> reader.describeSnapshots(b -> b.dryRun(true)))).isEqualTo("DryRunOperation 412");
        }
    }

    @Test
    void usersNeedAnIdentityPolicyForEachActionAndResource() {
        try (Ec2Client nobody = fixture.user("nobody", null);
             Ec2Client reader = fixture.user("reader", ALLOW_DESCRIBE);
             Ec2Client maker = fixture.user("maker", ALLOW_VOLUMES_DENY_DELETE)) {
            assertThat(errorOf(() -> nobody.describeVolumes())).isEqualTo("UnauthorizedOperation 403");
            assertThat(reader.describeVolumes().volumes()).isEmpty();
            assertThat(errorOf(() -> reader.createVolume(b -> b.availabilityZone("us-east-1a").size(1))))
                    .isEqualTo("UnauthorizedOperation 403");
            String id = maker.createVolume(b -> b.availabilityZone("us-east-1a").size(1)).volumeId();
            assertThat(errorOf(() -> maker.deleteVolume(b -> b.volumeId(id)))).isEqualTo("UnauthorizedOperation 403");
            assertThat(errorOf(() -> maker.createSnapshot(b -> b.volumeId(id)))).isEqualTo("UnauthorizedOperation 403");
            assertThat(errorOf(() -> maker.attachVolume(b -> b.volumeId(id).instanceId("i-01234567").device("sdf"))))
                    .isEqualTo("UnauthorizedOperation 403");
            root.deleteVolume(b -> b.volumeId(id));
        }
    }

    @Test
    void refusesRequestsItCannotAuthenticate() {
        try (Ec2Client wrongSecret = fixture.client(Ec2Fixture.ROOT_ACCESS_KEY, "wrong/secret/0000000000000000000000000000");
             Ec2Client unknownKey = fixture.client("AKIAUNKNOWN000000000", "x")) {
            assertThat(errorOf(() -> wrongSecret.describeVolumes())).isEqualTo("AuthFailure 403");
            assertThat(errorOf(() -> unknownKey.describeVolumes())).isEqualTo("AuthFailure 403");
        }
        ServiceResponse unsigned = raw().postUnsigned("Action=DescribeVolumes&Version=2016-11-15");
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(Ec2RawClient.body(unsigned)).contains("<Code>MissingAuthenticationToken</Code>");
        ServiceResponse wrongService = raw().postSignedFor("iam", "Action=DescribeVolumes&Version=2016-11-15");
        assertThat(Ec2RawClient.body(wrongService)).contains("<Code>AuthFailure</Code>");
    }

    @Test
    void rendersErrorsInTheEc2Shape() {
        ServiceResponse unknown = raw().post("Action", "RunInstances", "Version", "2016-11-15");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(Ec2RawClient.body(unknown)).matches("(?s)<\\?xml[^>]*>\\s*<Response><Errors><Error><Code>InvalidAction</Code>"
                + "<Message>The action RunInstances is not valid for this web service\\.</Message></Error></Errors>"
                + "<RequestID>req-1</RequestID></Response>");
        assertThat(Ec2RawClient.body(raw().post("Action", "DescribeVolumes", "Version", "2014-01-01"))).contains("InvalidAction");
        assertThat(Ec2RawClient.body(raw().post("Version", "2016-11-15"))).contains("InvalidAction");
        ServiceResponse missing = raw().post("Action", "DeleteVolume", "Version", "2016-11-15");
        assertThat(Ec2RawClient.body(missing)).contains("<Code>MissingParameter</Code>")
                .contains("The request must contain the parameter VolumeId");
        assertThat(Ec2RawClient.body(raw().post("Action", "CreateVolume", "Version", "2016-11-15",
                "AvailabilityZone", "us-east-1a", "Size", "1", "Encrypted", "maybe"))).contains("<Code>InvalidParameterValue</Code>");
    }

    @Test
    void answersGetRequestsAndFormsByHand() {
        ServiceResponse created = raw().post("Action", "CreateVolume", "Version", "2016-11-15", "AvailabilityZone", "us-east-1c",
                "Size", "3", "TagSpecification.1.ResourceType", "volume", "TagSpecification.1.Tag.1.Key", "Name",
                "TagSpecification.1.Tag.1.Value", "data");
        assertThat(created.status()).isEqualTo(200);
        String xml = Ec2RawClient.body(created);
        assertThat(xml).startsWith("<?xml").contains("<CreateVolumeResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>req-1</requestId><volumeId>vol-");
        assertThat(xml).contains("<status>creating</status>").contains("<tagSet><item><key>Name</key><value>data</value></item></tagSet>");
        ServiceResponse described = raw().get("Action", "DescribeVolumes", "Version", "2016-11-15",
                "Filter.1.Name", "tag:Name", "Filter.1.Value.1", "data");
        assertThat(Ec2RawClient.body(described)).contains("<volumeSet><item><volumeId>vol-").contains("<size>3</size>");
        assertThat(Ec2RawClient.body(raw().get("Action", "DescribeVolumes", "Version", "2016-11-15",
                "Filter.1.Name", "tag:Name", "Filter.1.Value.1", "other"))).contains("<volumeSet></volumeSet>");
        assertThat(Ec2RawClient.body(raw().post("Action", "CreateVolume", "Version", "2016-11-15", "AvailabilityZone", "us-east-1c",
                "Size", "3", "TagSpecification.1.ResourceType", "snapshot", "TagSpecification.1.Tag.1.Key", "Name")))
                .contains("InvalidParameterValue");
    }
}

package dev.coffer.gateway.kmsclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.identity.AccountId;
import dev.coffer.auth.identity.Principal;
import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.s3.sse.KeyServiceException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.endpoints.KmsEndpointParams;

/** The parts of the services' KMS client that need no KMS: endpoints, headers and error translation. */
class ServiceKmsClientTest {

    @Test
    void edgeBoundToAWildcardIsReachedOverLoopback() {
        assertThat(KmsEndpointResolver.edgeUri(new InetSocketAddress("0.0.0.0", 9000))).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(KmsEndpointResolver.edgeUri(new InetSocketAddress("::", 9000))).isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:9000"));
    }

    @Test
    void edgeBoundToASpecificAddressIsReachedThere() {
        assertThat(KmsEndpointResolver.edgeUri(new InetSocketAddress("127.0.0.1", 41234))).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(KmsEndpointResolver.edgeUri(new InetSocketAddress("10.1.2.3", 9000))).isEqualTo(URI.create("http://10.1.2.3:9000"));
    }

    @Test
    void edgeEndpointIsReadAtFirstUseAndThenKept() {
        InetSocketAddress[] bound = {null};
        KmsEndpointResolver resolver = KmsEndpointResolver.edge(() -> Optional.ofNullable(bound[0]));
        KmsEndpointParams params = KmsEndpointParams.builder().region(Region.US_EAST_1).build();
        assertThat(resolver.resolveEndpoint(params)).isCompletedExceptionally();
        bound[0] = new InetSocketAddress("127.0.0.1", 40001);
        assertThat(resolver.resolveEndpoint(params).join().url()).isEqualTo(URI.create("http://127.0.0.1:40001"));
        bound[0] = new InetSocketAddress("127.0.0.1", 40002);
        assertThat(resolver.resolveEndpoint(params).join().url()).isEqualTo(URI.create("http://127.0.0.1:40001"));
    }

    @Test
    void callBeforeTheEdgeIsBoundIsUnavailableInEachPortsOwnTerms() {
        try (ServiceKmsClient kms = unboundClient()) {
            assertThatThrownBy(() -> kms.call(c -> c.describeKey(r -> r.keyId("alias/aws/ebs")),
                    VolumeKeyException.UNAVAILABLE, VolumeKeyException::new))
                    .isInstanceOfSatisfying(VolumeKeyException.class, e -> {
                        assertThat(e.errorType()).isEqualTo(VolumeKeyException.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("not listening yet");
                    });
            assertThatThrownBy(() -> kms.call(c -> c.describeKey(r -> r.keyId("alias/aws/s3")),
                    KeyServiceException.UNAVAILABLE, KeyServiceException::new))
                    .isInstanceOfSatisfying(KeyServiceException.class,
                            e -> assertThat(e.kmsErrorType()).isEqualTo(KeyServiceException.UNAVAILABLE));
        }
    }

    @Test
    void kmsErrorTypeLosesItsNamespace() {
        assertThat(ServiceKmsClient.errorType("NotFoundException")).isEqualTo("NotFoundException");
        assertThat(ServiceKmsClient.errorType("com.amazonaws.kms#DisabledException")).isEqualTo("DisabledException");
        assertThat(ServiceKmsClient.errorType("AccessDeniedException:http://internal.amazon.com/coral/")).isEqualTo("AccessDeniedException");
        assertThat(ServiceKmsClient.errorType(null)).isNull();
        assertThat(ServiceKmsClient.errorType("")).isNull();
    }

    @Test
    void kmsErrorsKeepTheirTypeAndOthersAreUnavailable() {
        AwsServiceException kms = AwsServiceException.builder().awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("KMSInvalidStateException").errorMessage("arn is pending deletion.").build()).build();
        KeyServiceException translated = ServiceKmsClient.translate(kms, KeyServiceException.UNAVAILABLE, KeyServiceException::new);
        assertThat(translated.kmsErrorType()).isEqualTo("KMSInvalidStateException");
        assertThat(translated.getMessage()).isEqualTo("arn is pending deletion.");
        assertThat(translated.getCause()).isSameAs(kms);
        AwsServiceException notKms = AwsServiceException.builder().statusCode(502)
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Bad Gateway").build()).build();
        assertThat(ServiceKmsClient.translate(notKms, VolumeKeyException.UNAVAILABLE, VolumeKeyException::new).errorType())
                .isEqualTo(VolumeKeyException.UNAVAILABLE);
        assertThat(ServiceKmsClient.translate(SdkClientException.create("Connection refused"),
                KeyServiceException.UNAVAILABLE, KeyServiceException::new).kmsErrorType())
                .isEqualTo(KeyServiceException.UNAVAILABLE);
    }

    @Test
    void onBehalfOfCarriesTheServiceNameAndTheRequester() {
        try (ServiceKmsClient kms = unboundClient()) {
            AwsRequestOverrideConfiguration.Builder request = AwsRequestOverrideConfiguration.builder();
            kms.onBehalfOf("AKIAREQUESTER0000001").accept(request);
            assertThat(request.build().headers())
                    .containsEntry("X-Coffer-Via-Service", List.of("ec2"))
                    .containsEntry("X-Coffer-Requester-Access-Key", List.of("AKIAREQUESTER0000001"));
        }
    }

    @Test
    void printsNoCredential() {
        try (ServiceKmsClient kms = unboundClient()) {
            assertThat(kms.toString()).isEqualTo("ServiceKmsClient[ec2]");
        }
    }

    private static ServiceKmsClient unboundClient() {
        KmsClient client = ServiceKmsClient.client(KmsEndpointResolver.edge(Optional::empty), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAEXAMPLEEXAMPLE00", "secret")));
        return new ServiceKmsClient(client, new Principal.Service(new AccountId("123456789012"), "ec2"));
    }
}

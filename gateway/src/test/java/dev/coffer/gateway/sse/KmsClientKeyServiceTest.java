package dev.coffer.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.endpoints.KmsEndpointParams;

/** The parts of the KMS key service that need no KMS: endpoints and error translation. */
class KmsClientKeyServiceTest {

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
    void callBeforeTheEdgeIsBoundIsUnavailable() {
        KmsClient client = KmsClientKeyService.client(KmsEndpointResolver.edge(Optional::empty), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAEXAMPLEEXAMPLE00", "secret")));
        try (KmsClientKeyService keys = new KmsClientKeyService(client)) {
            assertThatThrownBy(() -> keys.generateDataKey(KmsRequester.s3Service(), "alias/coffer/sse-s3", Map.of()))
                    .isInstanceOfSatisfying(KeyServiceException.class, e -> {
                        assertThat(e.kmsErrorType()).isEqualTo(KeyServiceException.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("not listening yet");
                    });
        }
    }

    @Test
    void kmsErrorTypeLosesItsNamespace() {
        assertThat(KmsClientKeyService.errorType("NotFoundException")).isEqualTo("NotFoundException");
        assertThat(KmsClientKeyService.errorType("com.amazonaws.kms#DisabledException")).isEqualTo("DisabledException");
        assertThat(KmsClientKeyService.errorType("AccessDeniedException:http://internal.amazon.com/coral/")).isEqualTo("AccessDeniedException");
        assertThat(KmsClientKeyService.errorType(null)).isNull();
        assertThat(KmsClientKeyService.errorType("")).isNull();
    }

    @Test
    void kmsErrorsKeepTheirTypeAndOthersAreUnavailable() {
        AwsServiceException kms = AwsServiceException.builder().awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("KMSInvalidStateException").errorMessage("arn is pending deletion.").build()).build();
        assertThat(KmsClientKeyService.translate(kms)).satisfies(e -> {
            assertThat(e.kmsErrorType()).isEqualTo("KMSInvalidStateException");
            assertThat(e.getMessage()).isEqualTo("arn is pending deletion.");
        });
        AwsServiceException notKms = AwsServiceException.builder().statusCode(502)
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("Bad Gateway").build()).build();
        assertThat(KmsClientKeyService.translate(notKms).kmsErrorType()).isEqualTo(KeyServiceException.UNAVAILABLE);
        assertThat(KmsClientKeyService.translate(SdkClientException.create("Connection refused")).kmsErrorType())
                .isEqualTo(KeyServiceException.UNAVAILABLE);
    }
}

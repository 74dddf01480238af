package dev.coffer.blockstore.ec2;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** How EC2 errors look to an SDK caller: the code and the HTTP status. */
final class Ec2SdkAssertions {
    private Ec2SdkAssertions() {
    }

    /** Runs {@code call}, which must fail with an EC2 error; returns "Code status". */
    static String errorOf(Runnable call) {
        AwsServiceException[] caught = new AwsServiceException[1];
        assertThatThrownBy(() -> {
            try {
                call.run();
            } catch (AwsServiceException e) {
                caught[0] = e;
                throw e;
            }
        }).isInstanceOf(AwsServiceException.class);
        return caught[0].awsErrorDetails().errorCode() + " " + caught[0].statusCode();
    }
}

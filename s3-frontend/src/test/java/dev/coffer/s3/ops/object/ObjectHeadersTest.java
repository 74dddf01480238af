package dev.coffer.s3.ops.object;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObjectHeadersTest {
    @Test
    void awsChunkedIsHowTheBodyTravelledNotAnEncodingOfTheObject() {
        assertThat(ObjectHeaders.withoutAwsChunked("aws-chunked")).isNull();
        assertThat(ObjectHeaders.withoutAwsChunked("aws-chunked,gzip")).isEqualTo("gzip");
        assertThat(ObjectHeaders.withoutAwsChunked("gzip, aws-chunked")).isEqualTo("gzip");
        assertThat(ObjectHeaders.withoutAwsChunked("gzip")).isEqualTo("gzip");
    }
}

package dev.coffer.s3.ops.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AWS's naming rules for general purpose buckets. */
class BucketNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "photos", "my-bucket", "my.bucket", "a.b.c", "0bucket", "bucket9", "123", "a-b-c",
            "a--b", "xn-bucket", "bucket-s3", "s3alias", "bucket-s3alias-2", "mrap.bucket", "192.168.5", "1.2.3.4.5",
            "192.168.5.4a", "a1.2.3.4", "sthree", "amzn-s3-demo", "www.example.com", "xxn--bucket", "my-table-s3"})
    void validNames(String name) {
        assertThat(BucketNames.isValid(name)).isTrue();
    }

    @Test
    void lengthIsThreeToSixtyThree() {
        assertThat(BucketNames.isValid("ab")).isFalse();
        assertThat(BucketNames.isValid("abc")).isTrue();
        assertThat(BucketNames.isValid("a".repeat(63))).isTrue();
        assertThat(BucketNames.isValid("a".repeat(64))).isFalse();
        assertThat(BucketNames.isValid("")).isFalse();
        assertThat(BucketNames.isValid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Photos", "PHOTOS", "my_bucket", "my bucket", "bucket!", "caf\u00e9", "-bucket", "bucket-",
            ".bucket", "bucket.", "my..bucket", "a...b", "my.-bucket", "my-.bucket", "192.168.5.4", "10.0.0.1",
            "999.999.999.999", "xn--bucket", "xn--", "sthree-bucket", "sthree-configurator", "amzn-s3-demo-bucket",
            "bucket-s3alias", "bucket--ol-s3", "bucket.mrap", "bucket--x-s3", "bucket--table-s3", "bucket/key",
            "a%2Fb", "a\u0000b", "bucket\n"})
    void invalidNames(String name) {
        assertThat(BucketNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> BucketNames.requireValid(name))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_BUCKET_NAME);
                    assertThat(e.details()).containsEntry("BucketName", name);
                });
    }
}

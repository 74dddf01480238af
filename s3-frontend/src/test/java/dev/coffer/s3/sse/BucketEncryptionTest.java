package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.sse.BucketEncryption.Algorithm;
import dev.coffer.s3.sse.BucketEncryption.EncryptionType;
import dev.coffer.s3.sse.BucketEncryption.WriteDefault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PutBucketEncryption documents: what AWS accepts, what it refuses and with which error; the Get document; the stored form. */
class BucketEncryptionTest {
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    private static BucketEncryption parse(String rule) {
        return parse(rule, Optional.empty());
    }

    private static BucketEncryption parse(String rule, Optional<BucketEncryption> current) {
        String xml = "<ServerSideEncryptionConfiguration" + NS + ">" + rule + "</ServerSideEncryptionConfiguration>";
        return BucketEncryption.parse(xml.getBytes(StandardCharsets.UTF_8), current);
    }

    private static void assertRefused(String rule, S3Error error) {
        assertThatThrownBy(() -> parse(rule)).as(rule)
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private static BucketRecord bucket(Map<String, String> configurations) {
        return new BucketRecord("b", "111122223333", "us-east-1", Instant.EPOCH, configurations);
    }

    @Test
    void aBucketNeverConfiguredHasNoDefaultEncryption() {
        assertThat(BucketEncryption.of(bucket(Map.of()))).isEmpty();
    }

    @Test
    void sseKmsWithAKeyAndBucketKeyIsTheWriteDefault() {
        String arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        BucketEncryption kms = parse("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                + "<KMSMasterKeyID>" + arn + "</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>"
                + "<BucketKeyEnabled>true</BucketKeyEnabled></Rule>");

        assertThat(kms.algorithm()).isEqualTo(Algorithm.SSE_KMS);
        assertThat(kms.kmsMasterKeyId()).contains(arn);
        assertThat(kms.writeDefault()).isEqualTo(new WriteDefault.SseKms(Optional.of(arn), true));
        assertThat(new String(kms.toXml().toBytes(), StandardCharsets.UTF_8)).contains(
                "<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>" + arn + "</KMSMasterKeyID>",
                "<BucketKeyEnabled>true</BucketKeyEnabled>");
    }

    @Test
    void sseKmsWithoutAKeyMeansTheAwsManagedKey() {
        BucketEncryption kms = parse("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></Rule>");

        assertThat(kms.writeDefault()).isEqualTo(new WriteDefault.SseKms(Optional.empty(), false));
    }

    @Test
    void theKeyIdIsStoredAsGivenBecauseAwsDoesNotValidateIt() {
        BucketEncryption kms = parse("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                + "<KMSMasterKeyID>alias/not-there-yet &amp; odd=chars</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>");

        assertThat(kms.kmsMasterKeyId()).contains("alias/not-there-yet & odd=chars");
        assertThat(BucketEncryption.fromStored(kms.toStored())).isEqualTo(kms);
        assertThat(new String(kms.toXml().toBytes(), StandardCharsets.UTF_8)).contains("alias/not-there-yet &amp; odd=chars");
    }

    @Test
    void blockedEncryptionTypesNoneLiftsTheSseCBlockAndSseCBlocksItAgain() {
        BucketEncryption open = parse("<Rule><BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType>"
                + "</BlockedEncryptionTypes></Rule>");
        assertThat(open.blocksSseC()).isFalse();
        assertThat(open.blockedEncryptionTypes()).containsExactly(EncryptionType.NONE);
        // A rule with only BlockedEncryptionTypes keeps SSE-S3 as the default (AWS's own example document).
        assertThat(open.writeDefault()).isEqualTo(new WriteDefault.SseS3());
        assertThat(new String(open.toXml().toBytes(), StandardCharsets.UTF_8))
                .contains("<BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes>");

        BucketEncryption closed = parse("<Rule><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType>"
                + "</BlockedEncryptionTypes></Rule>", Optional.of(open));
        assertThat(closed.blocksSseC()).isTrue();
    }

    @Test
    void aPutWithoutBlockedEncryptionTypesKeepsTheBucketsCurrentBlock() {
        String sseS3 = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></Rule>";
        BucketEncryption unblocked = BucketEncryption.sseS3(false, Set.of(EncryptionType.NONE));

        BucketEncryption blocked = BucketEncryption.sseS3(false, Set.of(EncryptionType.SSE_C));

        assertThat(parse(sseS3, Optional.of(unblocked)).blocksSseC()).isFalse();
        assertThat(parse(sseS3, Optional.of(blocked)).blocksSseC()).isTrue();
        assertThat(parse(sseS3, Optional.empty()).blocksSseC()).as("nothing configured blocks nothing").isFalse();
        assertThat(parse("<Rule><BlockedEncryptionTypes></BlockedEncryptionTypes></Rule>", Optional.of(unblocked)).blocksSseC())
                .isFalse();
    }

    @Test
    void theAwsNamespaceIsOptionalAndWhitespaceIsIgnored() {
        BucketEncryption parsed = BucketEncryption.parse("""
                <ServerSideEncryptionConfiguration>
                  <Rule>
                    <ApplyServerSideEncryptionByDefault>
                      <SSEAlgorithm>AES256</SSEAlgorithm>
                    </ApplyServerSideEncryptionByDefault>
                    <BucketKeyEnabled>false</BucketKeyEnabled>
                  </Rule>
                </ServerSideEncryptionConfiguration>
                """.getBytes(StandardCharsets.UTF_8), Optional.empty());

        assertThat(parsed).isEqualTo(BucketEncryption.sseS3(false, Set.of(EncryptionType.NONE)));
    }

    @Test
    void aKmsKeyIdWithAes256IsInvalidArgumentAsAwsAnswers() {
        assertThatThrownBy(() -> parse("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "<KMSMasterKeyID>alias/k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo(
                            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
                    assertThat(e.details()).containsEntry("ArgumentName", "ApplyServerSideEncryptionByDefault");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                                                   // no Rule
            "<Rule/><Rule/>",                                                     // AWS allows one Rule
            "<Rule><ApplyServerSideEncryptionByDefault/></Rule>",                 // SSEAlgorithm is required
            "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>SSE-KMS</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>",
            "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aes256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>",
            "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm></SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>",
            "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                    + "</ApplyServerSideEncryptionByDefault></Rule>",
            "<Rule><BucketKeyEnabled>yes</BucketKeyEnabled></Rule>",
            "<Rule><BlockedEncryptionTypes><EncryptionType>SSE-KMS</EncryptionType></BlockedEncryptionTypes></Rule>",
            "<Rule><Unknown/></Rule>",
            "<Rule/><Other/>",
    })
    void documentsOutsideAwssSchemaAreMalformedXml(String rules) {
        assertRefused(rules, S3Error.MALFORMED_XML);
    }

    @Test
    void anotherRootOrBrokenXmlIsMalformedXml() {
        assertThatThrownBy(() -> BucketEncryption.parse("<Delete/>".getBytes(StandardCharsets.UTF_8), Optional.empty()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
        assertThatThrownBy(() -> BucketEncryption.parse("<ServerSideEncryptionConfiguration><Rule>".getBytes(StandardCharsets.UTF_8),
                Optional.empty()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:kms:dsse", "aws:fsx", "aws:backup"})
    void algorithmsAwsHasAndCofferDoesNotAreNotImplementedAndSaySo(String algorithm) {
        assertThatThrownBy(() -> parse("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>" + algorithm
                + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.NOT_IMPLEMENTED);
                    assertThat(e.getMessage()).contains(algorithm, "AES256 or aws:kms");
                });
    }

    @Test
    void noneTogetherWithSseCIsRefused() {
        assertRefused("<Rule><BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType><EncryptionType>SSE-C</EncryptionType>"
                + "</BlockedEncryptionTypes></Rule>", S3Error.INVALID_ARGUMENT);
    }

    @Test
    void anEmptyKmsKeyIdIsRefusedRatherThanSilentlyMeaningAwsS3() {
        assertRefused("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                + "<KMSMasterKeyID></KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>", S3Error.INVALID_ARGUMENT);
    }

    @Test
    void theStoredFormRoundTripsAndIsVersioned() {
        BucketEncryption kms = BucketEncryption.sseKms(Optional.of("arn:aws:kms:us-east-1:111122223333:key/k\nx"), true,
                Set.of(EncryptionType.NONE));
        String stored = kms.toStored();

        assertThat(stored).startsWith("coffer-bucket-encryption 1\n").doesNotContain("key/k\nx");
        assertThat(BucketEncryption.fromStored(stored)).isEqualTo(kms);
        assertThat(BucketEncryption.of(bucket(Map.of(BucketEncryption.CONFIGURATION_KIND, stored)))).contains(kms);
        BucketEncryption sseS3 = BucketEncryption.sseS3(false, Set.of(EncryptionType.SSE_C));
        assertThat(BucketEncryption.fromStored(sseS3.toStored())).isEqualTo(sseS3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "<ServerSideEncryptionConfiguration/>",
            "coffer-bucket-encryption 2\nSSEAlgorithm=AES256\nBucketKeyEnabled=false\nBlockedEncryptionTypes=SSE-C\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nBucketKeyEnabled=false\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nBucketKeyEnabled=false\nBlockedEncryptionTypes=SSE-C\nExtra=1\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=aws:kms:dsse\nBucketKeyEnabled=false\nBlockedEncryptionTypes=SSE-C\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nKMSMasterKeyID=k\nBucketKeyEnabled=false\nBlockedEncryptionTypes=SSE-C\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nBucketKeyEnabled=maybe\nBlockedEncryptionTypes=SSE-C\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nBucketKeyEnabled=false\nBlockedEncryptionTypes=NONE,SSE-C\n",
            "coffer-bucket-encryption 1\nSSEAlgorithm=AES256\nSSEAlgorithm=AES256\nBucketKeyEnabled=false\nBlockedEncryptionTypes=SSE-C\n",
    })
    void anUnknownOrInconsistentStoredFormFailsClosed(String stored) {
        assertThatThrownBy(() -> BucketEncryption.fromStored(stored)).isInstanceOf(IllegalStateException.class);
    }
}

package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static dev.coffer.s3.engine.EngineFixture.THRESHOLD;
import static dev.coffer.s3.engine.EngineFixture.assertFails;
import static dev.coffer.s3.engine.EngineFixture.content;
import static dev.coffer.s3.engine.EngineFixture.dataFiles;
import static dev.coffer.s3.engine.EngineFixture.md5;
import static dev.coffer.s3.engine.EngineFixture.put;
import static dev.coffer.s3.engine.EngineFixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.engine.EngineException.Kind;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedObjectStoreTest {
    @TempDir
    Path dir;
    EmbeddedObjectStore store;

    @BeforeEach
    void open() {
        store = EngineFixture.open(dir);
        store.createBucket("b", "111122223333", "us-east-1", T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = EngineFixture.open(dir);
    }

    @Test
    void creatingATakenBucketNamesItsOwner() {
        assertThatThrownBy(() -> store.createBucket("b", "999988887777", "eu-west-1", T0))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BUCKET_ALREADY_EXISTS);
                    assertThat(e.existingOwnerAccountId()).contains("111122223333");
                });
    }

    @Test
    void bucketsAreListedByNameAndSurviveReopening() {
        store.createBucket("zeta", "1", "us-east-1", T0);
        store.createBucket("alpha", "1", "eu-west-1", T0.plusSeconds(5));
        reopen();
        assertThat(store.buckets()).extracting(BucketRecord::name).containsExactly("alpha", "b", "zeta");
        assertThat(store.bucket("alpha")).contains(new BucketRecord("alpha", "1", "eu-west-1", T0.plusSeconds(5), Map.of()));
        assertThat(store.bucket("missing")).isEmpty();
    }

    @Test
    void bucketConfigurationsAreSetReplacedAndRemoved() {
        store.setBucketConfiguration("b", "policy", Optional.of("{\"Version\":\"2012-10-17\"}"));
        store.setBucketConfiguration("b", "encryption", Optional.of("<ServerSideEncryptionConfiguration/>"));
        store.setBucketConfiguration("b", "policy", Optional.of("{}"));
        reopen();
        assertThat(store.bucket("b").orElseThrow().configurations())
                .containsExactlyInAnyOrderEntriesOf(Map.of("policy", "{}", "encryption", "<ServerSideEncryptionConfiguration/>"));
        BucketRecord after = store.setBucketConfiguration("b", "policy", Optional.empty());
        assertThat(after.configurations()).containsOnlyKeys("encryption");
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.setBucketConfiguration("missing", "policy", Optional.of("{}")));
    }

    @Test
    void deletingABucketRequiresItToBeEmpty() {
        put(store, "b", "k", new byte[10]);
        assertFails(Kind.BUCKET_NOT_EMPTY, () -> store.deleteBucket("b"));
        store.deleteObject("b", "k");
        store.deleteBucket("b");
        assertThat(store.bucket("b")).isEmpty();
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.deleteBucket("b"));
    }

    @Test
    void deletingABucketDiscardsItsUploadsInProgressAndTheirData() {
        store.createBucket("b2", "1", "us-east-1", T0);
        UploadRecord upload = store.createUpload("b", "big", ObjectAttributes.empty(), T0);
        UploadRecord other = store.createUpload("b2", "big", ObjectAttributes.empty(), T0);
        EngineFixture.putPart(store, "b", "big", upload.uploadId(), 1, content(5000, 1));
        EngineFixture.putPart(store, "b", "big", upload.uploadId(), 2, content(10, 2));
        EngineFixture.putPart(store, "b2", "big", other.uploadId(), 1, content(5000, 3));
        assertThat(dataFiles(dir)).hasSize(2);
        store.deleteBucket("b");
        assertThat(dataFiles(dir)).hasSize(1);
        store.createBucket("b", "1", "us-east-1", T0);
        assertThat(store.listUploads("b", null, null, null, null, 1000).uploads()).isEmpty();
        assertThat(store.upload("b2", "big", other.uploadId())).isPresent();
        assertThat(store.parts("b2", "big", other.uploadId())).hasSize(1);
    }

    @Test
    void storedObjectComesBackWithItsBytesAndEveryAttribute() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zebra", "1");
        metadata.put("apple", "ünïcødé");
        ObjectAttributes attributes = new ObjectAttributes("text/plain", Map.of("Cache-Control", "no-cache"), metadata,
                Map.of("CRC32", "AAAAAA=="), "FULL_OBJECT", "111122223333", new byte[] {1, 2, 3});
        byte[] bytes = content(3000, 7);
        ObjectRecord written = put(store, "b", "dir/ключ 😀", bytes, attributes);
        reopen();
        ObjectRecord head = store.head("b", "dir/ключ 😀").orElseThrow();
        assertThat(head).isEqualTo(written);
        assertThat(head.size()).isEqualTo(3000);
        assertThat(head.etag()).isEqualTo(md5(bytes));
        assertThat(head.parts()).isEmpty();
        assertThat(head.attributes().userMetadata().keySet()).containsExactly("zebra", "apple");
        assertThat(head.attributes().envelope()).containsExactly(1, 2, 3);
        assertThat(read(store, "b", "dir/ключ 😀")).isEqualTo(bytes);
    }

    @Test
    void dataUpToTheThresholdIsStoredInlineWithoutAFile() {
        byte[] bytes = content(THRESHOLD, 1);
        put(store, "b", "small", bytes);
        assertThat(dataFiles(dir)).isEmpty();
        try (ObjectHandle handle = store.open("b", "small").orElseThrow()) {
            assertThat(handle.extents()).singleElement().isInstanceOfSatisfying(DataExtent.Inline.class,
                    inline -> assertThat(inline.bytes()).isEqualTo(bytes));
        }
    }

    @Test
    void dataPastTheThresholdGoesToOneFileSentAsAFileExtent() throws Exception {
        byte[] bytes = content(THRESHOLD + 1, 2);
        put(store, "b", "large", bytes);
        assertThat(dataFiles(dir)).hasSize(1).allMatch(name -> name.matches("[0-9a-f]{32}\\.data"));
        try (ObjectHandle handle = store.open("b", "large").orElseThrow()) {
            DataExtent.FileExtent file = (DataExtent.FileExtent) handle.extents().getFirst();
            assertThat(file.position()).isZero();
            assertThat(file.length()).isEqualTo(bytes.length);
            ByteBuffer direct = ByteBuffer.allocate(bytes.length);
            file.channel().read(direct, 0);
            assertThat(direct.array()).isEqualTo(bytes);
        }
    }

    @Test
    void aWriterSpillsToItsFileAsItGoesInsteadOfBufferingEverything() throws Exception {
        try (ObjectWriter writer = store.newData("b")) {
            for (int i = 0; i < 10; i++) {
                writer.write(content(THRESHOLD / 2, i));
            }
            assertThat(writer.bytesWritten()).isEqualTo(5L * THRESHOLD);
            String only = dataFiles(dir).iterator().next();
            assertThat(Files.size(dir.resolve("data").resolve(only))).isEqualTo(5L * THRESHOLD);
        }
        assertThat(dataFiles(dir)).as("closing an uncommitted writer discards its file").isEmpty();
    }

    @Test
    void aGrowingFileIsSyncedBehindTheWritesAndItsBytesComeBackWhole() throws Exception {
        int chunk = 48 * 1024;
        int chunks = 5 * SpillingObjectWriter.WRITE_BEHIND_BYTES / chunk;
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (ObjectWriter writer = store.newData("b")) {
            for (int i = 0; i < chunks; i++) {
                byte[] piece = content(chunk, i);
                writer.write(piece);
                expected.write(piece);
            }
            assertThat(((SpillingObjectWriter) writer).backgroundSyncsStarted()).isPositive();
            store.putObject("b", "synced-behind", "e", ObjectAttributes.empty(), T0, writer);
        }
        try (ObjectHandle handle = store.open("b", "synced-behind").orElseThrow();
             java.io.InputStream in = handle.openStream(0, expected.size())) {
            assertThat(in.readAllBytes()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void closingAWriterWhileItsFileIsBeingSyncedDiscardsTheFile() {
        try (ObjectWriter writer = store.newData("b")) {
            writer.write(content(3 * SpillingObjectWriter.WRITE_BEHIND_BYTES, 7));
        }
        assertThat(dataFiles(dir)).isEmpty();
    }

    @Test
    void overwritingAndDeletingFreeThePreviousData() {
        put(store, "b", "k", content(5000, 1));
        put(store, "b", "k", content(6000, 2));
        assertThat(dataFiles(dir)).hasSize(1);
        put(store, "b", "k", content(10, 3));
        assertThat(dataFiles(dir)).isEmpty();
        assertThat(read(store, "b", "k")).isEqualTo(content(10, 3));
        put(store, "b", "k", content(5000, 4));
        assertThat(store.deleteObject("b", "k")).isTrue();
        assertThat(store.deleteObject("b", "k")).isFalse();
        assertThat(dataFiles(dir)).isEmpty();
        assertThat(store.head("b", "k")).isEmpty();
        assertThat(store.open("b", "k")).isEmpty();
    }

    @Test
    void emptyObjectsAreStored() {
        ObjectRecord record = put(store, "b", "empty", new byte[0]);
        assertThat(record.size()).isZero();
        assertThat(read(store, "b", "empty")).isEmpty();
    }

    @Test
    void aReadAlreadyOpenIsUnaffectedByOverwriteAndDelete() throws Exception {
        byte[] large = content(5000, 1);
        byte[] small = content(100, 2);
        put(store, "b", "large", large);
        put(store, "b", "small", small);
        try (ObjectHandle openLarge = store.open("b", "large").orElseThrow();
             ObjectHandle openSmall = store.open("b", "small").orElseThrow()) {
            put(store, "b", "large", content(7000, 3));
            store.deleteObject("b", "small");
            store.deleteObject("b", "large");
            assertThat(openLarge.openStream(0, large.length).readAllBytes()).isEqualTo(large);
            assertThat(openSmall.openStream(0, small.length).readAllBytes()).isEqualTo(small);
        }
        assertThat(dataFiles(dir)).isEmpty();
    }

    @Test
    void rangesReadAnySliceOfTheObject() throws Exception {
        byte[] bytes = content(4000, 5);
        put(store, "b", "k", bytes);
        Random random = new Random(1);
        try (ObjectHandle handle = store.open("b", "k").orElseThrow()) {
            for (int i = 0; i < 50; i++) {
                int from = random.nextInt(bytes.length + 1);
                int length = random.nextInt(bytes.length - from + 1);
                try (InputStream in = handle.openStream(from, length)) {
                    assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, from, from + length));
                }
            }
            InputStream skipping = handle.openStream(100, 200);
            assertThat(skipping.skip(150)).isEqualTo(150);
            assertThat(skipping.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 250, 300));
            assertThatThrownBy(() -> handle.openStream(3999, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void everyOperationOnAMissingBucketIsNoSuchBucket() {
        ObjectWriter writer = store.newData("b");
        writer.write(new byte[5000]);
        store.deleteBucket("b");
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.putObject("b", "k", "e", ObjectAttributes.empty(), T0, writer));
        writer.close();
        assertThat(dataFiles(dir)).isEmpty();
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.newData("b"));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.head("b", "k"));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.open("b", "k"));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.deleteObject("b", "k"));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.listObjects("b", null, null, null, 10));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.createUpload("b", "k", ObjectAttributes.empty(), T0));
        assertFails(Kind.NO_SUCH_BUCKET, () -> store.listUploads("b", null, null, null, null, 10));
    }

    @Test
    void aWriterOnlyCommitsIntoItsOwnStoreAndBucket() {
        store.createBucket("other", "1", "us-east-1", T0);
        try (ObjectWriter writer = store.newData("other")) {
            assertThatThrownBy(() -> store.putObject("b", "k", "e", ObjectAttributes.empty(), T0, writer))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (ObjectWriter writer = store.newData("b")) {
            store.putObject("b", "k", "e", ObjectAttributes.empty(), T0, writer);
            assertThatThrownBy(() -> writer.write(new byte[1])).isInstanceOf(IllegalStateException.class);
        }
        assertThat(store.head("b", "k")).isPresent();
    }

    @Test
    void optionsNameTheSettingTheyRefuse() {
        assertThat(EngineOptions.defaults().inlineThresholdBytes()).isEqualTo(128 * 1024);
        assertThatThrownBy(() -> new EngineOptions(-1)).hasMessageContaining("coffer.s3.engine.inline-threshold-bytes");
        assertThatThrownBy(() -> new EngineOptions(EngineOptions.MAX_INLINE_THRESHOLD_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attributesAreImmutableCopies() {
        byte[] envelope = {9, 9};
        Map<String, String> metadata = new LinkedHashMap<>(Map.of("a", "1"));
        ObjectAttributes attributes = new ObjectAttributes(null, null, metadata, null, null, null, envelope);
        envelope[0] = 0;
        metadata.put("b", "2");
        assertThat(attributes.envelope()).containsExactly(9, 9);
        assertThat(attributes.userMetadata()).containsOnlyKeys("a");
        attributes.envelope()[1] = 0;
        assertThat(attributes.envelope()).containsExactly(9, 9);
        assertThat(attributes.toString()).contains("envelope=2 bytes").doesNotContain("[9, 9]");
        assertThat(List.of(attributes)).containsExactly(new ObjectAttributes(null, null, Map.of("a", "1"), null, null, null,
                new byte[] {9, 9}));
    }
}

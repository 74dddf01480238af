package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static dev.coffer.s3.engine.EngineFixture.assertFails;
import static dev.coffer.s3.engine.EngineFixture.content;
import static dev.coffer.s3.engine.EngineFixture.dataFiles;
import static dev.coffer.s3.engine.EngineFixture.putPart;
import static dev.coffer.s3.engine.EngineFixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.engine.EngineException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartUploadsTest {
    @TempDir
    Path dir;
    EmbeddedObjectStore store;

    @BeforeEach
    void open() {
        store = EngineFixture.open(dir);
        store.createBucket("b", "1", "us-east-1", T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void uploadIdsAreUrlSafeUnguessableAndSortByInitiation() {
        Set<String> ids = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 100; i++) {
            String id = store.createUpload("b", "k", ObjectAttributes.empty(), T0.plusMillis(i)).uploadId();
            assertThat(id).matches("[0-9a-f]{16}[A-Za-z0-9_-]{22}");
            assertThat(id).isGreaterThan(previous);
            previous = id;
            ids.add(id.substring(16));
        }
        assertThat(ids).as("the random halves differ").hasSize(100);
    }

    @Test
    void completingWithASubsetOfPartsJoinsThemWithoutCopyingAndFreesTheRest() throws Exception {
        ObjectAttributes attributes = new ObjectAttributes("video/mp4", Map.of(), Map.of("m", "1"), Map.of(), null, "1", null);
        UploadRecord upload = store.createUpload("b", "movie", attributes, T0);
        assertThat(store.upload("b", "movie", upload.uploadId())).contains(upload);
        byte[] one = content(3000, 1);
        byte[] two = content(4000, 2);
        byte[] three = content(500, 3);
        putPart(store, "b", "movie", upload.uploadId(), 1, one);
        putPart(store, "b", "movie", upload.uploadId(), 2, two);
        putPart(store, "b", "movie", upload.uploadId(), 3, three);
        assertThat(store.parts("b", "movie", upload.uploadId())).extracting(PartRecord::partNumber, PartRecord::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 3000L), org.assertj.core.groups.Tuple.tuple(2, 4000L),
                        org.assertj.core.groups.Tuple.tuple(3, 500L));
        Set<String> before = dataFiles(dir);
        assertThat(before).hasSize(2);

        ObjectRecord done = store.completeUpload("b", "movie", upload.uploadId(), List.of(1, 3), "etag-2", attributes, T0);

        assertThat(done.size()).isEqualTo(3500);
        assertThat(done.parts()).extracting(PartInfo::partNumber).containsExactly(1, 3);
        assertThat(done.parts().getFirst().etag()).isEqualTo(EngineFixture.md5(one));
        assertThat(dataFiles(dir)).as("part 1's file now belongs to the object; part 2's is gone").hasSize(1).isSubsetOf(before);
        assertThat(read(store, "b", "movie")).isEqualTo(concat(one, three));
        try (ObjectHandle handle = store.open("b", "movie").orElseThrow()) {
            assertThat(handle.extents()).hasSize(2);
            assertThat(handle.extents().get(0)).isInstanceOf(DataExtent.FileExtent.class);
            assertThat(handle.extents().get(1)).isInstanceOf(DataExtent.Inline.class);
            assertThat(handle.openStream(2900, 200).readAllBytes())
                    .isEqualTo(java.util.Arrays.copyOfRange(concat(one, three), 2900, 3100));
        }
        assertThat(store.upload("b", "movie", upload.uploadId())).isEmpty();
        assertFails(Kind.NO_SUCH_UPLOAD, () -> store.parts("b", "movie", upload.uploadId()));
        assertFails(Kind.NO_SUCH_UPLOAD, () -> store.completeUpload("b", "movie", upload.uploadId(), List.of(1), "e",
                attributes, T0));

        store.close();
        store = EngineFixture.open(dir);
        assertThat(store.head("b", "movie")).contains(done);
        assertThat(read(store, "b", "movie")).isEqualTo(concat(one, three));
    }

    @Test
    void completingWithAPartNeverUploadedIsInvalidPartAndChangesNothing() {
        UploadRecord upload = store.createUpload("b", "k", ObjectAttributes.empty(), T0);
        putPart(store, "b", "k", upload.uploadId(), 1, content(3000, 1));
        assertFails(Kind.INVALID_PART, () -> store.completeUpload("b", "k", upload.uploadId(), List.of(1, 2), "e",
                ObjectAttributes.empty(), T0));
        assertThat(store.head("b", "k")).isEmpty();
        assertThat(store.parts("b", "k", upload.uploadId())).hasSize(1);
        assertThat(dataFiles(dir)).hasSize(1);
        assertThatThrownBy(() -> store.completeUpload("b", "k", upload.uploadId(), List.of(1, 1), "e",
                ObjectAttributes.empty(), T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completingOverAnExistingObjectFreesItsData() {
        EngineFixture.put(store, "b", "k", content(9000, 9));
        UploadRecord upload = store.createUpload("b", "k", ObjectAttributes.empty(), T0);
        putPart(store, "b", "k", upload.uploadId(), 1, content(10, 1));
        store.completeUpload("b", "k", upload.uploadId(), List.of(1), "e", ObjectAttributes.empty(), T0);
        assertThat(dataFiles(dir)).isEmpty();
        assertThat(read(store, "b", "k")).isEqualTo(content(10, 1));
    }

    @Test
    void uploadingAPartAgainReplacesAndFreesTheEarlierOne() {
        UploadRecord upload = store.createUpload("b", "k", ObjectAttributes.empty(), T0);
        putPart(store, "b", "k", upload.uploadId(), 1, content(3000, 1));
        putPart(store, "b", "k", upload.uploadId(), 1, content(4000, 2));
        assertThat(dataFiles(dir)).hasSize(1);
        putPart(store, "b", "k", upload.uploadId(), 1, content(10, 3));
        assertThat(dataFiles(dir)).isEmpty();
        assertThat(store.parts("b", "k", upload.uploadId())).singleElement()
                .satisfies(p -> assertThat(p.etag()).isEqualTo(EngineFixture.md5(content(10, 3))));
    }

    @Test
    void abortingFreesEveryPart() {
        UploadRecord upload = store.createUpload("b", "k", ObjectAttributes.empty(), T0);
        putPart(store, "b", "k", upload.uploadId(), 1, content(3000, 1));
        putPart(store, "b", "k", upload.uploadId(), 2, content(3000, 2));
        putPart(store, "b", "k", upload.uploadId(), 3, content(30, 3));
        store.abortUpload("b", "k", upload.uploadId());
        assertThat(dataFiles(dir)).isEmpty();
        assertThat(store.upload("b", "k", upload.uploadId())).isEmpty();
        assertFails(Kind.NO_SUCH_UPLOAD, () -> store.abortUpload("b", "k", upload.uploadId()));
        assertThat(store.referencedFileNames()).isEmpty();
    }

    @Test
    void anUploadIdOnlyNamesItsOwnKey() {
        UploadRecord upload = store.createUpload("b", "k", ObjectAttributes.empty(), T0);
        assertThat(store.upload("b", "other", upload.uploadId())).isEmpty();
        assertThat(store.upload("b", "k", "not-an-upload-id")).isEmpty();
        assertFails(Kind.NO_SUCH_UPLOAD, () -> putPart(store, "b", "other", upload.uploadId(), 1, content(3000, 1)));
        assertFails(Kind.NO_SUCH_UPLOAD, () -> putPart(store, "b", "k", "0000000000000000AAAAAAAAAAAAAAAAAAAAAA", 1,
                content(10, 1)));
        assertFails(Kind.NO_SUCH_UPLOAD, () -> store.parts("b", "k", "../../etc"));
        assertThat(dataFiles(dir)).as("a refused part's data is discarded").isEmpty();
    }

    @Test
    void uploadsAreListedByKeyThenInitiationWithMarkersAndPrefixes() {
        String a1 = store.createUpload("b", "a", ObjectAttributes.empty(), T0.plusSeconds(2)).uploadId();
        String a0 = store.createUpload("b", "a", ObjectAttributes.empty(), T0.plusSeconds(1)).uploadId();
        String photo1 = store.createUpload("b", "photos/1.jpg", ObjectAttributes.empty(), T0).uploadId();
        store.createUpload("b", "photos/2.jpg", ObjectAttributes.empty(), T0);
        store.createUpload("b", "photos/sub/3.jpg", ObjectAttributes.empty(), T0);
        String z = store.createUpload("b", "z", ObjectAttributes.empty(), T0).uploadId();

        UploadsPage all = store.listUploads("b", null, null, null, null, 1000);
        assertThat(all.uploads()).extracting(UploadRecord::key)
                .containsExactly("a", "a", "photos/1.jpg", "photos/2.jpg", "photos/sub/3.jpg", "z");
        assertThat(all.uploads()).extracting(UploadRecord::uploadId).startsWith(a0, a1);
        assertThat(all.truncated()).isFalse();

        UploadsPage grouped = store.listUploads("b", null, "/", null, null, 1000);
        assertThat(grouped.uploads()).extracting(UploadRecord::uploadId).containsExactly(a0, a1, z);
        assertThat(grouped.commonPrefixes()).containsExactly("photos/");

        UploadsPage inPhotos = store.listUploads("b", "photos/", "/", null, null, 1000);
        assertThat(inPhotos.uploads()).extracting(UploadRecord::key).containsExactly("photos/1.jpg", "photos/2.jpg");
        assertThat(inPhotos.commonPrefixes()).containsExactly("photos/sub/");

        UploadsPage firstPage = store.listUploads("b", null, "/", null, null, 2);
        assertThat(firstPage.truncated()).isTrue();
        assertThat(firstPage.nextKeyMarker()).isEqualTo("a");
        assertThat(firstPage.nextUploadIdMarker()).isEqualTo(a1);
        UploadsPage secondPage = store.listUploads("b", null, "/", firstPage.nextKeyMarker(), firstPage.nextUploadIdMarker(), 1);
        assertThat(secondPage.commonPrefixes()).containsExactly("photos/");
        assertThat(secondPage.nextKeyMarker()).isEqualTo("photos/");
        assertThat(secondPage.nextUploadIdMarker()).isNull();
        UploadsPage thirdPage = store.listUploads("b", null, "/", "photos/", null, 5);
        assertThat(thirdPage.uploads()).extracting(UploadRecord::uploadId).containsExactly(z);
        assertThat(thirdPage.truncated()).isFalse();

        assertThat(store.listUploads("b", null, null, "a", a0, 1000).uploads()).extracting(UploadRecord::uploadId)
                .startsWith(a1, photo1);
        assertThat(store.listUploads("b", null, null, "a", null, 1000).uploads()).extracting(UploadRecord::key)
                .doesNotContain("a");
        assertThat(store.listUploads("b", null, null, null, null, 0)).satisfies(p -> {
            assertThat(p.uploads()).isEmpty();
            assertThat(p.truncated()).isFalse();
        });
    }
}

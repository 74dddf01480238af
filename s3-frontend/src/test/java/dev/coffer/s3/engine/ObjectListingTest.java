package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static dev.coffer.s3.engine.EngineFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectListingTest {
    @TempDir
    Path dir;
    EmbeddedObjectStore store;

    @BeforeEach
    void open() {
        store = EngineFixture.open(dir);
        store.createBucket("b", "1", "us-east-1", T0);
        store.createBucket("b.other", "1", "us-east-1", T0);
        for (String key : List.of("photos/2006/January/sample.jpg", "photos/2006/February/sample2.jpg",
                "photos/2006/February/sample3.jpg", "photos/2006/February/sample4.jpg", "photos/2006/index.html",
                "photos/index.html", "readme", "é", "z")) {
            put(store, "b", key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        put(store, "b.other", "photos/elsewhere", new byte[1]);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void listsKeysInUtf8ByteOrderWithTheirSummaries() {
        ListPage page = store.listObjects("b", null, null, null, 1000);
        assertThat(page.objects()).extracting(ObjectSummary::key).containsExactly("photos/2006/February/sample2.jpg",
                "photos/2006/February/sample3.jpg", "photos/2006/February/sample4.jpg", "photos/2006/January/sample.jpg",
                "photos/2006/index.html", "photos/index.html", "readme", "z", "é");
        assertThat(page.objects().getFirst().size()).isEqualTo("photos/2006/February/sample2.jpg".length());
        assertThat(page.truncated()).isFalse();
        assertThat(page.nextStartAfter()).isEqualTo("é");
    }

    @Test
    void delimiterRollsKeysUpIntoCommonPrefixesUnderThePrefix() {
        ListPage page = store.listObjects("b", "photos/2006/", "/", null, 1000);
        assertThat(page.commonPrefixes()).containsExactly("photos/2006/February/", "photos/2006/January/");
        assertThat(page.objects()).extracting(ObjectSummary::key).containsExactly("photos/2006/index.html");
    }

    @Test
    void commonPrefixesCountTowardMaxKeysAndPagesContinueWithoutRepeats() {
        ListPage first = store.listObjects("b", null, "/", null, 1);
        assertThat(first.commonPrefixes()).containsExactly("photos/");
        assertThat(first.truncated()).isTrue();
        assertThat(first.nextStartAfter()).isEqualTo("photos/");
        ListPage second = store.listObjects("b", null, "/", first.nextStartAfter(), 2);
        assertThat(second.commonPrefixes()).isEmpty();
        assertThat(second.objects()).extracting(ObjectSummary::key).containsExactly("readme", "z");
        assertThat(second.truncated()).isTrue();
        ListPage third = store.listObjects("b", null, "/", second.nextStartAfter(), 2);
        assertThat(third.objects()).extracting(ObjectSummary::key).containsExactly("é");
        assertThat(third.truncated()).isFalse();
    }

    @Test
    void startAfterInsideACommonPrefixSkipsThatPrefix() {
        ListPage page = store.listObjects("b", "photos/2006/", "/", "photos/2006/February/sample2.jpg", 1000);
        assertThat(page.commonPrefixes()).containsExactly("photos/2006/January/");
        assertThat(page.objects()).extracting(ObjectSummary::key).containsExactly("photos/2006/index.html");
    }

    @Test
    void maxKeysZeroReturnsAnEmptyPageThatIsNotTruncated() {
        ListPage page = store.listObjects("b", null, null, null, 0);
        assertThat(page.objects()).isEmpty();
        assertThat(page.truncated()).isFalse();
    }

    @Test
    void keysOfABucketWhoseNameExtendsAnotherStayApart() {
        assertThat(store.listObjects("b.other", null, null, null, 10).objects()).extracting(ObjectSummary::key)
                .containsExactly("photos/elsewhere");
        assertThat(store.listObjects("b", "photos/e", null, null, 10).objects()).isEmpty();
    }

    @Test
    void summariesCarryOwnerAndChecksumAlgorithms() {
        // Insertion order is what the engine keeps; Map.of's iteration order differs from JVM to JVM.
        Map<String, String> checksums = new LinkedHashMap<>();
        checksums.put("CRC32C", "x");
        checksums.put("SHA256", "y");
        put(store, "b", "sum", new byte[3], new ObjectAttributes(null, null, null, checksums, "FULL_OBJECT", "owner-1", null));
        ObjectSummary summary = store.listObjects("b", "sum", null, null, 10).objects().getFirst();
        assertThat(summary.ownerAccountId()).isEqualTo("owner-1");
        assertThat(summary.checksumAlgorithms()).containsExactly("CRC32C", "SHA256");
        assertThat(summary.etag()).isEqualTo(EngineFixture.md5(new byte[3]));
        assertThat(summary.lastModified()).isEqualTo(T0);
    }
}

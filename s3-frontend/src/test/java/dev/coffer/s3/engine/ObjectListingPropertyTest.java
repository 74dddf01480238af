package dev.coffer.s3.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Listing against a model: a sorted set of UTF-8 byte strings. Every result (key or common prefix)
 * under the prefix that sorts after startAfter, in byte order, the first maxKeys of them; and paging
 * by nextStartAfter yields the whole listing exactly once.
 */
class ObjectListingPropertyTest {
    private static final Comparator<String> UTF8_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    /** Few symbols, so keys share prefixes and delimiters often; multi-byte ones test byte order. */
    private static final List<String> SYMBOLS = List.of("a", "b", "/", "é", "😀", "-");

    record Query(String prefix, String delimiter, String startAfter, int maxKeys) {
    }

    /** One result of the model: a key, or a common prefix. */
    record Result(String text, boolean commonPrefix) {
    }

    private Path dir;
    private EmbeddedObjectStore store;
    private int buckets;

    @BeforeProperty
    void open() throws IOException {
        dir = Files.createTempDirectory("coffer-listing");
        store = EngineFixture.open(dir);
    }

    @AfterProperty
    void close() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 60)
    void listingMatchesTheSortedModel(@ForAll("keySets") Set<String> keys, @ForAll("queries") List<Query> queries) {
        String bucket = "bucket-" + buckets++;
        store.createBucket(bucket, "1", "us-east-1", EngineFixture.T0);
        for (String key : keys) {
            EngineFixture.put(store, bucket, key, new byte[] {1});
        }
        for (Query q : queries) {
            List<Result> expected = model(keys, q.prefix(), q.delimiter(), q.startAfter());
            ListPage page = store.listObjects(bucket, q.prefix(), q.delimiter(), q.startAfter(), q.maxKeys());
            List<Result> shown = expected.subList(0, Math.min(q.maxKeys(), expected.size()));
            assertThat(page.objects()).extracting(ObjectSummary::key).as("%s", q)
                    .containsExactlyElementsOf(shown.stream().filter(r -> !r.commonPrefix()).map(Result::text).toList());
            assertThat(page.commonPrefixes()).as("%s", q)
                    .containsExactlyElementsOf(shown.stream().filter(Result::commonPrefix).map(Result::text).toList());
            assertThat(page.truncated()).as("%s", q).isEqualTo(q.maxKeys() > 0 && expected.size() > q.maxKeys());
            assertThat(page.nextStartAfter()).as("%s", q).isEqualTo(shown.isEmpty() ? null : shown.getLast().text());
            if (q.maxKeys() > 0) {
                assertThat(allPages(bucket, q)).as("paging %s", q).containsExactlyElementsOf(expected);
            }
        }
    }

    private List<Result> allPages(String bucket, Query q) {
        List<Result> all = new ArrayList<>();
        String after = q.startAfter();
        while (true) {
            ListPage page = store.listObjects(bucket, q.prefix(), q.delimiter(), after, q.maxKeys());
            TreeSet<Result> merged = new TreeSet<>(Comparator.comparing(Result::text, UTF8_ORDER));
            page.objects().forEach(o -> merged.add(new Result(o.key(), false)));
            page.commonPrefixes().forEach(p -> merged.add(new Result(p, true)));
            all.addAll(merged);
            if (!page.truncated()) {
                return all;
            }
            after = page.nextStartAfter();
        }
    }

    static List<Result> model(Set<String> keys, String prefix, String delimiter, String startAfter) {
        String p = prefix == null ? "" : prefix;
        TreeSet<Result> results = new TreeSet<>(Comparator.comparing(Result::text, UTF8_ORDER));
        for (String key : keys) {
            if (!key.startsWith(p)) {
                continue;
            }
            int at = delimiter == null || delimiter.isEmpty() ? -1 : key.indexOf(delimiter, p.length());
            Result r = at < 0 ? new Result(key, false) : new Result(key.substring(0, at + delimiter.length()), true);
            if (startAfter == null || startAfter.isEmpty() || UTF8_ORDER.compare(r.text(), startAfter) > 0) {
                results.add(r);
            }
        }
        return List.copyOf(results);
    }

    private static Arbitrary<String> fragments(int min, int max) {
        return Arbitraries.of(SYMBOLS).list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Set<String>> keySets() {
        return fragments(1, 5).set().ofMaxSize(14);
    }

    @Provide
    Arbitrary<List<Query>> queries() {
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.just(null), fragments(0, 2));
        Arbitrary<String> delimiter = Arbitraries.of("", "/", "a", "é/", "😀", "/-");
        Arbitrary<String> startAfter = Arbitraries.oneOf(Arbitraries.just(null), fragments(0, 4));
        Arbitrary<Integer> maxKeys = Arbitraries.integers().between(0, 6);
        return Combinators.combine(prefix, Arbitraries.oneOf(Arbitraries.just(null), delimiter), startAfter, maxKeys)
                .as(Query::new).list().ofMinSize(1).ofMaxSize(6);
    }
}

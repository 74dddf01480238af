package dev.coffer.crypto.stream;

import static dev.coffer.crypto.stream.ObjectStreamTamperKit.DECRYPT_PATHS;
import static dev.coffer.crypto.stream.ObjectStreamTamperKit.PLAINTEXT_SIZES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.coffer.crypto.stream.ObjectStreamTamperKit.Attack;
import dev.coffer.crypto.stream.ObjectStreamTamperKit.DecryptPath;
import dev.coffer.crypto.stream.ObjectStreamTamperKit.TamperCase;
import dev.coffer.crypto.stream.ObjectStreamTamperKit.ValidStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the object stream tamper matrix ({@link ObjectStreamTamperKit}) against every decrypt path:
 * the push {@link ObjectStreamDecryptor} fed in random chunks, {@link ObjectStreamReader#openAll()}
 * and {@link ObjectStreamReader#openRange} over ranges that touch the tampered segment. Attack
 * classes: header bit flips (version, segment size, salt, nonce prefix), ciphertext and tag byte
 * flips in every segment, truncation, extension, dropped, duplicated, swapped and spliced segments,
 * a foreign header, wrong associated data, wrong data key, unknown versions, out-of-range segment
 * sizes.
 *
 * <p>No path may release a byte of the first tampered segment or of anything after it. The push
 * decryptor may already have released the segments before it: each was verified (and is the
 * original plaintext) and was pushed as soon as a following byte showed it was not the last. A
 * caller streaming to a client must therefore treat the exception as "abort the response", not as
 * "nothing was sent". The kit checks every released byte against the original plaintext.
 */
class ObjectStreamTamperContractTest {

    @TestFactory
    Stream<DynamicNode> everyTamperedStreamIsRejectedByEveryDecryptPathWithoutReleasingTamperedPlaintext() {
        return PLAINTEXT_SIZES.stream().map(size -> {
            ValidStream stream = ObjectStreamTamperKit.validStream(size);
            List<TamperCase> cases = ObjectStreamTamperKit.tamperCases(stream, ObjectStreamTamperKit.sibling(stream));
            return dynamicContainer(size + " plaintext bytes", DECRYPT_PATHS.stream().map(path ->
                    dynamicContainer(path.name(), cases.stream().map(c ->
                            dynamicTest(c.name(), () -> ObjectStreamTamperKit.assertContract(path, stream, c))))));
        });
    }

    /** Without this control the matrix would pass against a path that rejects everything. */
    @TestFactory
    Stream<DynamicNode> untamperedStreamIsAcceptedWhole() {
        return PLAINTEXT_SIZES.stream().map(size -> {
            ValidStream stream = ObjectStreamTamperKit.validStream(size);
            TamperCase control = ObjectStreamTamperKit.control(stream);
            return dynamicContainer(size + " plaintext bytes", DECRYPT_PATHS.stream().map(path ->
                    dynamicTest(path.name(), () -> ObjectStreamTamperKit.assertContract(path, stream, control))));
        });
    }

    /**
     * The matrix size, counted by hand so that no case silently drops out. Per stream of n segments:
     * 44 * 8 header bit flips; per segment 2 tag flips and 1 or 2 ciphertext flips (none for the
     * empty segment, one for a 1-byte segment); 4 fixed truncations (0, 1, 43 bytes, header only),
     * n - 1 at inner boundaries and 2 per segment (8 bytes in, last byte off); 4 extensions; n
     * drops, n duplicates, n(n-1)/2 swaps, n splices, 1 foreign header; 3 wrong associated data or
     * key; 3 unknown versions; 4 out-of-range segment sizes. That is 370 + 8n + n(n-1)/2 + the
     * ciphertext flips.
     */
    @ParameterizedTest(name = "{0} plaintext bytes ({1} segments) -> {2} cases")
    @CsvSource({
        "0,    1, 378",  // 370 + 8 + 0 + 0
        "1,    1, 379",  // 370 + 8 + 0 + 1
        "1023, 1, 380",  // 370 + 8 + 0 + 2
        "1024, 1, 380",
        "1025, 2, 390",  // 370 + 16 + 1 + (2 + 1)
        "3072, 3, 403",  // 370 + 24 + 3 + 6
        "5000, 5, 430",  // 370 + 40 + 10 + 10
    })
    void matrixHasTheExpectedNumberOfDistinctCases(int plaintextSize, int segments, int expectedCases) {
        ValidStream stream = ObjectStreamTamperKit.validStream(plaintextSize);
        List<TamperCase> cases = ObjectStreamTamperKit.tamperCases(stream, ObjectStreamTamperKit.sibling(stream));

        assertThat(stream.segmentCount()).isEqualTo(segments);
        assertThat(cases).hasSize(expectedCases);
        assertThat(cases.stream().map(TamperCase::name).collect(Collectors.toSet()))
                .as("case names are unique, so each is reported and reproducible on its own").hasSize(expectedCases);
    }

    @Test
    void matrixCoversEveryAttackClassForEveryPlaintextSize() {
        for (int size : PLAINTEXT_SIZES) {
            ValidStream stream = ObjectStreamTamperKit.validStream(size);
            Set<Attack> expected = EnumSet.allOf(Attack.class);
            if (stream.segmentCount() == 1) {
                expected.remove(Attack.SEGMENTS_SWAPPED);
            }
            Map<Attack, Long> counts = ObjectStreamTamperKit.tamperCases(stream, ObjectStreamTamperKit.sibling(stream))
                    .stream().collect(Collectors.groupingBy(TamperCase::attack, Collectors.counting()));
            assertThat(counts.keySet()).as("%d plaintext bytes", size).isEqualTo(expected);
            assertThat(counts.get(Attack.HEADER_BIT_FLIP)).isEqualTo(44L * 8);
        }
    }

    @Test
    void matrixRunsEveryCaseThroughAllThreeDecryptPaths() {
        assertThat(DECRYPT_PATHS).extracting(DecryptPath::name).doesNotHaveDuplicates().hasSize(3);
        long total = PLAINTEXT_SIZES.stream().map(ObjectStreamTamperKit::validStream)
                .mapToLong(s -> ObjectStreamTamperKit.tamperCases(s, ObjectStreamTamperKit.sibling(s)).size()).sum();
        assertThat(total).isEqualTo(378 + 379 + 380 + 380 + 390 + 403 + 430);
    }

    @Test
    void siblingStreamDiffersOnlyInItsSalt() {
        ValidStream stream = ObjectStreamTamperKit.validStream(5000);
        ValidStream sibling = ObjectStreamTamperKit.sibling(stream);
        byte[] a = stream.header();
        byte[] b = sibling.header();
        Set<Integer> differing = new HashSet<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                differing.add(i);
            }
        }
        assertThat(differing).isNotEmpty().allMatch(i -> i >= 5 && i < 5 + ObjectStreamV1.SALT_SIZE_BYTES);
        assertThat(sibling.dataKey()).isSameAs(stream.dataKey());
        assertThat(sibling.associatedData()).isEqualTo(stream.associatedData());
        assertThat(sibling.plaintext()).isEqualTo(stream.plaintext());
        for (byte[] segment : sibling.segments()) {
            assertThat(stream.segments()).noneMatch(s -> Arrays.equals(s, segment));
        }
    }
}

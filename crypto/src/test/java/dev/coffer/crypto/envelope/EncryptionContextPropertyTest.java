package dev.coffer.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Order-insensitivity and injectivity of the canonical encoding over random well-formed contexts. */
class EncryptionContextPropertyTest {

    @Provide
    Arbitrary<Map<String, String>> contexts() {
        // Well-formed strings only (ASCII, Latin-1, CJK and a supplementary character as a pair).
        Arbitrary<String> strings = Arbitraries.strings().withChars("abcAB0:/-_ é中")
                .withCharRange('\u00c0', '\u00ff').ofMinLength(0).ofMaxLength(6)
                .map(s -> s.replace(":", "\uD83D\uDE00"));
        return Arbitraries.maps(strings.filter(s -> !s.isEmpty()), strings).ofMaxSize(6);
    }

    @Property(tries = 300)
    void insertionOrderNeverChangesEqualityHashOrEncoding(@ForAll("contexts") Map<String, String> pairs,
                                                          @ForAll long shuffleSeed) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(pairs.entrySet());
        Collections.shuffle(entries, new Random(shuffleSeed));
        Map<String, String> shuffled = new LinkedHashMap<>();
        entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));

        EncryptionContext a = EncryptionContext.of(pairs);
        EncryptionContext b = EncryptionContext.of(shuffled);

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a.canonicalBytes()).isEqualTo(b.canonicalBytes());
    }

    /** Edge cases off: the pairs of two maps' edge cases would crowd out the random tries. */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void differentContextsNeverShareCanonicalBytes(@ForAll("contexts") Map<String, String> x,
                                                   @ForAll("contexts") Map<String, String> y) {
        EncryptionContext a = EncryptionContext.of(x);
        EncryptionContext b = EncryptionContext.of(y);

        assertThat(a.equals(b)).isEqualTo(x.equals(y));
        assertThat(Arrays.equals(a.canonicalBytes(), b.canonicalBytes())).isEqualTo(x.equals(y));
    }
}

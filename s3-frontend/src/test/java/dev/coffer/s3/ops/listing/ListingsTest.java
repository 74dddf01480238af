package dev.coffer.s3.ops.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** encoding-type=url: what listings percent-encode, and that every SDK's decoder gets the exact key back. */
class ListingsTest {
    @Test
    void withoutUrlEncodingValuesAreUnchanged() {
        assertThat(Listings.encode("a b+c&d", false)).isEqualTo("a b+c&d");
        assertThat(Listings.encode(null, true)).isNull();
    }

    @Test
    void unreservedCharactersAndSlashesStayAsTheyAre() {
        assertThat(Listings.encode("AZaz09-_.~/dir/", true)).isEqualTo("AZaz09-_.~/dir/");
        assertThat(Listings.encode("", true)).isEmpty();
    }

    @Test
    void everythingElseIsPercentEncodedAsUtf8WithUpperCaseHex() {
        assertThat(Listings.encode("a b", true)).as("space is %20, never '+'").isEqualTo("a%20b");
        assertThat(Listings.encode("a+b", true)).isEqualTo("a%2Bb");
        assertThat(Listings.encode("100%", true)).isEqualTo("100%25");
        assertThat(Listings.encode("a&b=c?d#e", true)).isEqualTo("a%26b%3Dc%3Fd%23e");
        assertThat(Listings.encode("*'()!", true)).isEqualTo("%2A%27%28%29%21");
        assertThat(Listings.encode("caf\u00e9", true)).isEqualTo("caf%C3%A9");
        assertThat(Listings.encode("\uD83D\uDE00", true)).isEqualTo("%F0%9F%98%80");
        assertThat(Listings.encode("<x>", true)).isEqualTo("%3Cx%3E");
    }

    @Test
    void controlCharactersThatXmlCannotCarryAreEncoded() {
        assertThat(Listings.encode("a\u0001b\nc\u007f", true)).isEqualTo("a%01b%0Ac%7F");
        assertThat(Listings.encode("\u0000", true)).isEqualTo("%00");
    }

    @Test
    void encodingThenDecodingGivesTheKeyBack() {
        String key = "dir/sub dir/ä+ö&ü=?#%/\u0001\uD83D\uDE00 .txt";
        assertThat(URLDecoder.decode(Listings.encode(key, true), StandardCharsets.UTF_8)).isEqualTo(key);
    }

    @Test
    void continuationTokensRoundTripAnyKey() {
        String key = "dir/\u00e9\uD83D\uDE00/+=&";
        assertThat(Listings.fromToken(Listings.token(key))).isEqualTo(key);
        assertThat(Listings.token(key)).doesNotContain("+", "/", "=");
    }
}

package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Envelope format v1 (docs/formats/s3-sse-envelope-v1.md): round trips, a known answer, and every malformed form refused. */
class SseEnvelopeTest {
    private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/0b5c2f4e-1111-2222-3333-444455556666";

    private static SseEnvelope kms() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("team", "blue");
        context.put("ünïcode", "☃");
        return SseEnvelope.kms(SseMode.SSE_KMS, 65536, ARN, true, context, new byte[] {1, 2, 3, 4});
    }

    @Test
    void everyModeRoundTrips() {
        SseEnvelope s3 = SseEnvelope.kms(SseMode.SSE_S3, 65536, ARN, false, Map.of(), new byte[200]);
        SseEnvelope c = SseEnvelope.customerKey(1024, new byte[32], filled(32, 7));
        for (SseEnvelope e : new SseEnvelope[] {s3, kms(), c}) {
            assertThat(SseEnvelope.decode(e.encode())).isEqualTo(e);
        }
        assertThat(SseEnvelope.decode(kms().encode()).context().keySet()).containsExactly("team", "ünïcode");
    }

    @Test
    void theLayoutIsTheSpecs() {
        SseEnvelope c = SseEnvelope.customerKey(65536, filled(32, 0xaa), filled(32, 0xbb));
        assertThat(HexFormat.of().formatHex(c.encode())).isEqualTo("0103" + "00010000" + "aa".repeat(32) + "bb".repeat(32));
        SseEnvelope k = SseEnvelope.kms(SseMode.SSE_KMS, 65536, "k", true, Map.of("a", "b"), new byte[] {9});
        assertThat(HexFormat.of().formatHex(k.encode()))
                .isEqualTo("0102" + "00010000" + "00016b" + "01" + "0001" + "000161" + "000162" + "0001" + "09");
    }

    @Test
    void truncatedExtendedOrUnknownFormsAreRefused() {
        byte[] good = kms().encode();
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> SseEnvelope.decode(cut)).isInstanceOf(SseEnvelope.EnvelopeException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SseEnvelope.decode(longer)).hasMessageContaining("after the end");
        byte[] version = good.clone();
        version[0] = 2;
        assertThatThrownBy(() -> SseEnvelope.decode(version)).hasMessageContaining("unknown version");
        byte[] mode = good.clone();
        mode[1] = 9;
        assertThatThrownBy(() -> SseEnvelope.decode(mode)).hasMessageContaining("unknown mode");
    }

    @Test
    void inconsistentEnvelopesCannotBeBuilt() {
        assertThatThrownBy(() -> SseEnvelope.kms(SseMode.SSE_S3, 65536, ARN, true, Map.of(), new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEnvelope.customerKey(65536, new byte[31], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEnvelope.kms(SseMode.SSE_KMS, 65536, null, false, Map.of(), new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsNoBlobOrHmac() {
        SseEnvelope c = SseEnvelope.customerKey(65536, filled(32, 0x11), filled(32, 0x22));
        assertThat(c.toString()).doesNotContain("22").doesNotContain("11").contains("SSE_C");
        assertThat(kms().toString()).contains(ARN).doesNotContain("[1, 2");
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}

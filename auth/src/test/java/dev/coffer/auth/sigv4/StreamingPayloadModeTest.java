package dev.coffer.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamingPayloadModeTest {
    @Test
    void parsesTheThreeChunkedModes() {
        assertThat(StreamingPayloadMode.fromContentSha256("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))
                .isEqualTo(StreamingPayloadMode.STREAMING_SIGNED);
        assertThat(StreamingPayloadMode.fromContentSha256("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"))
                .isEqualTo(StreamingPayloadMode.STREAMING_SIGNED_TRAILER);
        assertThat(StreamingPayloadMode.fromContentSha256("STREAMING-UNSIGNED-PAYLOAD-TRAILER"))
                .isEqualTo(StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER);
        for (StreamingPayloadMode mode : StreamingPayloadMode.values()) {
            assertThat(mode.chunked()).isEqualTo(mode.name().startsWith("STREAMING_"));
        }
    }

    @Test
    void unsignedPayloadAndAHexHashAreNotChunked() {
        assertThat(StreamingPayloadMode.fromContentSha256("UNSIGNED-PAYLOAD")).isEqualTo(StreamingPayloadMode.UNSIGNED_PAYLOAD);
        assertThat(StreamingPayloadMode.fromContentSha256(SigV4.EMPTY_SHA256)).isEqualTo(StreamingPayloadMode.PAYLOAD_SHA256);
        assertThat(StreamingPayloadMode.fromContentSha256(SigV4.EMPTY_SHA256.toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo(StreamingPayloadMode.PAYLOAD_SHA256);
        assertThat(StreamingPayloadMode.PAYLOAD_SHA256.chunked()).isFalse();
        assertThat(StreamingPayloadMode.UNSIGNED_PAYLOAD.chunked()).isFalse();
    }

    @Test
    void refusesSigV4aLookalikesAndGarbage() {
        for (String value : new String[] {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
                "streaming-aws4-hmac-sha256-payload", "STREAMING-UNSIGNED-PAYLOAD", "", SigV4.EMPTY_SHA256.substring(1) + "g",
                SigV4.EMPTY_SHA256 + "0", " UNSIGNED-PAYLOAD"}) {
            assertThatThrownBy(() -> StreamingPayloadMode.fromContentSha256(value)).as(value).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.store.Codec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecsTest {
    private static final DataRef FILE = new DataRef(DataRef.Location.FILE, new byte[16], 3000);
    private static final DataRef INLINE = new DataRef(DataRef.Location.INLINE, filled(16, 7), 20);

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static ObjectAttributes fullAttributes() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "last");
        metadata.put("a", "ünïcødé 😀");
        return new ObjectAttributes("text/plain", Map.of("Cache-Control", "max-age=1"), metadata, Map.of("CRC32", "AAAAAA=="),
                "COMPOSITE", "111122223333", new byte[] {0, 1, (byte) 0xff});
    }

    @Test
    void everyValueRoundTrips() {
        StoredBucket bucket = new StoredBucket("owner", "eu-west-1", T0, Map.of("policy", "{}"));
        StoredObject single = new StoredObject(3000, "etag", Instant.ofEpochSecond(-5, 999_999_999), fullAttributes(), List.of(),
                List.of(FILE));
        StoredObject multipart = new StoredObject(3020, "etag-2", T0, ObjectAttributes.empty(),
                List.of(new PartInfo(1, 3000, "e1", Map.of("CRC32", "x")), new PartInfo(7, 20, "e7", Map.of())),
                List.of(FILE, INLINE));
        StoredUpload upload = new StoredUpload(T0, fullAttributes());
        StoredPart part = new StoredPart(20, "e", T0, Map.of("SHA256", "y"), INLINE);

        assertThat(roundTrip(ValueCodecs.BUCKET, bucket)).isEqualTo(bucket);
        assertThat(roundTrip(ValueCodecs.OBJECT, single)).isEqualTo(single);
        assertThat(roundTrip(ValueCodecs.OBJECT, single).attributes().userMetadata().keySet()).containsExactly("z", "a");
        assertThat(roundTrip(ValueCodecs.OBJECT, multipart)).isEqualTo(multipart);
        assertThat(roundTrip(ValueCodecs.UPLOAD, upload)).isEqualTo(upload);
        assertThat(roundTrip(ValueCodecs.PART, part)).isEqualTo(part);
    }

    @Test
    void everyChangedByteIsCorrupt() {
        byte[] value = ValueCodecs.OBJECT.encode(new StoredObject(3000, "etag", T0, fullAttributes(), List.of(), List.of(FILE)));
        for (int i = 0; i < value.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = value.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertCorrupt(ValueCodecs.OBJECT, tampered);
            }
        }
    }

    @Test
    void truncatedOrExtendedValuesAreCorrupt() {
        byte[] value = ValueCodecs.PART.encode(new StoredPart(20, "e", T0, Map.of(), INLINE));
        for (int length = 0; length < value.length; length++) {
            assertCorrupt(ValueCodecs.PART, java.util.Arrays.copyOf(value, length));
        }
        assertCorrupt(ValueCodecs.PART, java.util.Arrays.copyOf(value, value.length + 1));
    }

    @Test
    void unknownVersionIsRefusedEvenWithAValidChecksum() {
        byte[] v1 = ValueCodecs.BUCKET.encode(new StoredBucket("o", "r", T0, Map.of()));
        byte[] payload = java.util.Arrays.copyOfRange(v1, 2, v1.length - 4);
        for (int version : new int[] {0, 2, 0xff}) {
            assertThatThrownBy(() -> ValueCodecs.BUCKET.decode(ValueCodecs.frame(version, ValueCodecs.TYPE_BUCKET, payload)))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        assertThat(e.kind()).isEqualTo(EngineException.Kind.CORRUPT);
                        assertThat(e.getMessage()).contains("unknown version " + version);
                    });
        }
    }

    @Test
    void aValueOfAnotherTypeIsRefused() {
        byte[] bucket = ValueCodecs.BUCKET.encode(new StoredBucket("o", "r", T0, Map.of()));
        assertCorrupt(ValueCodecs.OBJECT, bucket);
        assertCorrupt(ValueCodecs.UPLOAD, bucket);
    }

    @Test
    void lengthsThatPointPastTheEndAreCorruptNotHugeAllocations() {
        BinaryOut out = new BinaryOut().u32(Integer.MAX_VALUE);
        assertCorrupt(ValueCodecs.BUCKET, ValueCodecs.frame(1, ValueCodecs.TYPE_BUCKET, out.toByteArray()));
        BinaryOut map = new BinaryOut().string("o").string("r").instant(T0).u32(Integer.MAX_VALUE);
        assertCorrupt(ValueCodecs.BUCKET, ValueCodecs.frame(1, ValueCodecs.TYPE_BUCKET, map.toByteArray()));
        BinaryOut badUtf8 = new BinaryOut().u32(1).raw(new byte[] {(byte) 0xc3}).string("r").instant(T0).u32(0);
        assertCorrupt(ValueCodecs.BUCKET, ValueCodecs.frame(1, ValueCodecs.TYPE_BUCKET, badUtf8.toByteArray()));
    }

    private static <T> T roundTrip(Codec<T> codec, T value) {
        return codec.decode(codec.encode(value));
    }

    private static void assertCorrupt(Codec<?> codec, byte[] bytes) {
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.CORRUPT));
    }
}

package dev.coffer.perf.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A mixed row's keys: three requests in ten are PUTs of new keys, GETs only read keys whose one version
 * is known (written before the round, or by a PUT already answered), so verification holds however the
 * requests interleave; and a server that answers a GET with other bytes still fails it.
 */
class MixedKeysTest {
    private final ObjectPayload payload = new ObjectPayload(64 * 1024);
    private static final long SIZE = 4096;

    private static MixedKeys keys(int existing) {
        return new MixedKeys(IntStream.range(0, existing).mapToObj(i -> "get/4096/" + i).toList(), "mixed/r0/");
    }

    @Test
    void threeInTenArePutsOfNewKeys() {
        MixedKeys keys = keys(10);
        Set<String> putKeys = new HashSet<>();
        int puts = 0;
        for (long s = 0; s < 1000; s++) {
            MixedKeys.Choice c = keys.next(s);
            assertThat(c.put()).isEqualTo(MixedKeys.isPut(s));
            if (c.put()) {
                puts++;
                assertThat(c.key()).startsWith("mixed/r0/");
                assertThat(putKeys.add(c.key())).as("a PUT never writes a key twice").isTrue();
                assertThat(c.payloadIndex()).isGreaterThanOrEqualTo(MixedKeys.NEW_OBJECTS);
            } else {
                assertThat(c.key()).startsWith("get/4096/");
            }
        }
        assertThat(puts).isEqualTo(300);
    }

    @Test
    void getsReadOnlyKeysWhosePutWasAnsweredAndKnowTheirObject() {
        MixedKeys keys = keys(4);
        // PUTs started but not answered: no GET may pick their keys.
        List<MixedKeys.Choice> inFlight = new ArrayList<>();
        for (long s = 0; s < 100; s++) {
            MixedKeys.Choice c = keys.next(s);
            if (c.put()) {
                inFlight.add(c);
            } else {
                assertThat(c.key()).startsWith("get/4096/");
                assertThat(c.payloadIndex()).isEqualTo(Long.parseLong(c.key().substring("get/4096/".length())));
            }
        }
        inFlight.forEach(keys::written);
        assertThat(keys.newKeys()).containsExactlyElementsOf(inFlight.stream().map(MixedKeys.Choice::key).toList());
        Map<String, Long> objectOf = new HashMap<>();
        inFlight.forEach(c -> objectOf.put(c.key(), c.payloadIndex()));
        int newKeyGets = 0;
        for (long s = 100; s < 1100; s++) {
            MixedKeys.Choice c = keys.next(s);
            if (!c.put() && c.key().startsWith("mixed/")) {
                newKeyGets++;
                assertThat(c.payloadIndex()).isEqualTo(objectOf.get(c.key()));
            }
        }
        assertThat(newKeyGets).as("GETs also read what the round wrote").isGreaterThan(100);
        assertThatThrownBy(() -> keys.written(new MixedKeys.Choice(false, "get/4096/0", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A store that holds what was PUT, and GETs of a mixed round verified against the object the key must hold. */
    @Test
    void everyGetOfAMixedRoundVerifiesAgainstAStoreAndAWrongObjectFails() {
        Map<String, ByteBuffer> store = new HashMap<>();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            existing.add("get/4096/" + i);
            store.put("get/4096/" + i, payload.object(i, SIZE));
        }
        MixedKeys keys = new MixedKeys(existing, "mixed/r0/");
        int gets = 0;
        for (long s = 0; s < 500; s++) {
            MixedKeys.Choice c = keys.next(s);
            ByteBuffer object = payload.object(c.payloadIndex(), SIZE);
            if (c.put()) {
                store.put(c.key(), object);
                keys.written(c);
            } else {
                assertThat(verify(c.key(), store.get(c.key()), object)).isEqualTo(SIZE);
                gets++;
            }
        }
        assertThat(gets).isEqualTo(350);

        // A server answering with another key's object (or an old version) fails the GET.
        String newKey = keys.newKeys().getFirst();
        assertThatThrownBy(() -> verify(newKey, store.get("get/4096/3"), payload.object(MixedKeys.NEW_OBJECTS + 2, SIZE)))
                .hasCauseInstanceOf(VerifyingResponseTransformer.ObjectMismatchException.class)
                .hasMessageContaining("wrong byte");
    }

    /** Runs the benchmark's GET verification on {@code served} (in two chunks) against {@code expected}. */
    private static long verify(String key, ByteBuffer served, ByteBuffer expected) {
        VerifyingResponseTransformer t = new VerifyingResponseTransformer(key, expected);
        var result = t.prepare();
        t.onResponse(GetObjectResponse.builder().contentLength((long) served.remaining()).build());
        ByteBuffer body = served.duplicate();
        int half = body.remaining() / 2;
        List<ByteBuffer> chunks = List.of(body.slice(0, half), body.slice(half, body.remaining() - half));
        Publisher<ByteBuffer> publisher = subscriber -> subscriber.onSubscribe(new Subscription() {
            private boolean done;

            @Override
            public void request(long n) {
                if (!done) {
                    done = true;
                    chunks.forEach(subscriber::onNext);
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done = true;
            }
        });
        t.onStream(SdkPublisher.adapt(publisher));
        return result.join();
    }
}

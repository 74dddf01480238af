package dev.coffer.perf.s3;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Receives a GET's body and compares it, chunk by chunk as it arrives, with the bytes the object was
 * written with; completes with the byte count, or exceptionally at the first wrong or missing byte.
 * Nothing is accumulated, so the client spends on a 64 MiB GET one vectorised comparison pass, not a
 * growing buffer and a copy.
 */
final class VerifyingResponseTransformer implements AsyncResponseTransformer<GetObjectResponse, Long> {
    private final String key;
    private final ByteBuffer expected;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    /** Null when the response's headers are as expected (e.g. its server-side encryption), else why not. */
    private final Function<GetObjectResponse, String> responseCheck;

    VerifyingResponseTransformer(String key, ByteBuffer expected) {
        this(key, expected, r -> null);
    }

    VerifyingResponseTransformer(String key, ByteBuffer expected, Function<GetObjectResponse, String> responseCheck) {
        this.key = key;
        this.expected = expected;
        this.responseCheck = responseCheck;
    }

    @Override
    public CompletableFuture<Long> prepare() {
        return result;
    }

    @Override
    public void onResponse(GetObjectResponse response) {
        Long length = response.contentLength();
        if (length != null && length != expected.remaining()) {
            result.completeExceptionally(new ObjectMismatchException(key + ": Content-Length " + length
                    + ", expected " + expected.remaining()));
        }
        String wrong = responseCheck.apply(response);
        if (wrong != null) {
            result.completeExceptionally(new ObjectMismatchException(key + ": " + wrong));
        }
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
        publisher.subscribe(new Subscriber<>() {
            private Subscription subscription;
            private int position;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer chunk) {
                if (result.isDone()) {
                    return;
                }
                int n = chunk.remaining();
                if (position + n > expected.remaining()) {
                    fail(key + ": more than the " + expected.remaining() + " bytes written");
                    return;
                }
                int mismatch = expected.slice(position, n).mismatch(chunk);
                if (mismatch >= 0) {
                    fail(key + ": wrong byte at offset " + (position + mismatch));
                    return;
                }
                position += n;
            }

            private void fail(String message) {
                result.completeExceptionally(new ObjectMismatchException(message));
                subscription.cancel();
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                if (position != expected.remaining()) {
                    result.completeExceptionally(new ObjectMismatchException(key + ": " + position + " bytes, expected "
                            + expected.remaining()));
                } else {
                    result.complete((long) position);
                }
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
        result.completeExceptionally(error);
    }

    /** A GET returned bytes other than those written: the run fails, whatever the server. */
    static final class ObjectMismatchException extends RuntimeException {
        ObjectMismatchException(String message) {
            super(message);
        }
    }
}

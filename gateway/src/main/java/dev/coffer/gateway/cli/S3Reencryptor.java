package dev.coffer.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The work of {@code coffer s3 reencrypt}: every object under a bucket and prefix, in listing order,
 * copied onto itself with the target encryption, a few at a time. The gateway does the copying: no
 * object byte passes through this process, so memory stays bounded whatever the object sizes.
 *
 * <p>Why no object is ever left unreadable: CopyObject onto the same key commits the new version only
 * once the whole copy is sealed; objects above 5 GiB (CopyObject's limit) go through a multipart
 * upload of UploadPartCopy parts, and the old version stays in place until CompleteMultipartUpload.
 * Each copy is conditional on the ETag this run saw at HEAD (x-amz-copy-source-if-match), so an object
 * rewritten meanwhile is left to its writer (412: counted as changed, not failed).
 *
 * <p>Resuming: the checkpoint is the last key before which every object was handled; failures hold
 * it back (a rerun retries them), and a run without a checkpoint skips, after a HEAD each, what is
 * already encrypted as asked.
 */
final class S3Reencryptor {
    /** CopyObject's limit on its source; larger objects are copied in parts. */
    static final long COPY_OBJECT_LIMIT = 5L * 1024 * 1024 * 1024;
    static final long DEFAULT_PART_BYTES = 512L * 1024 * 1024;
    /** How many listed objects may be ahead of the oldest unfinished one (bounds the bookkeeping's memory). */
    private static final int WINDOW = 4096;
    private static final long PROGRESS_INTERVAL_MILLIS = 1000;

    /** The run's settings. */
    record Settings(String bucket, String prefix, ReencryptTarget target, int parallel, boolean force, long maxObjects,
                    long multipartThreshold, long partBytes) {}

    /** The counts of a run, for its summary and exit code. */
    record Summary(long reencrypted, long alreadyAsAsked, long changed, long sseC, long failed, long bytes,
                   List<String> failures, boolean complete, String stoppedBecause) {}

    private final S3Client s3;
    private final Settings settings;
    private final ReencryptCheckpoint checkpoint;
    private final PrintWriter err;
    private final AtomicReference<String> keyArn;
    private final AtomicBoolean stop = new AtomicBoolean();

    private final AtomicLong reencrypted = new AtomicLong();
    private final AtomicLong alreadyAsAsked = new AtomicLong();
    private final AtomicLong changed = new AtomicLong();
    private final AtomicLong sseC = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> failures = new ArrayList<>();

    /** Listed objects not yet behind the checkpoint, oldest first. Guarded by itself. */
    private final ArrayDeque<Slot> window = new ArrayDeque<>();
    private String checkpointKey;
    private boolean failureSeen;
    private long resolvedBeforeCheckpoint;
    private String savedKey;

    /**
     * @param keyArn the ARN of the target KMS key if known; learnt from the first SSE-KMS copy otherwise
     * @param checkpoint null: no state file (nothing saved, nothing resumed)
     */
    S3Reencryptor(S3Client s3, Settings settings, String keyArn, ReencryptCheckpoint checkpoint, PrintWriter err) {
        this.s3 = s3;
        this.settings = settings;
        this.keyArn = new AtomicReference<>(keyArn);
        this.checkpoint = checkpoint;
        this.err = err;
    }

    /** Asks the run to stop after the copies in flight (Ctrl-C). */
    void requestStop() {
        stop.set(true);
    }

    /**
     * Runs from {@code startAfter} (null: the beginning) to the end of the listing, a stop request or
     * {@code maxObjects}.
     */
    Summary run(String startAfter, long objectsBefore) throws InterruptedException {
        long started = System.nanoTime();
        checkpointKey = startAfter;
        savedKey = startAfter;
        resolvedBeforeCheckpoint = objectsBefore;
        ExecutorService workers = Executors.newFixedThreadPool(settings.parallel(), Thread.ofPlatform().daemon()
                .name("coffer-reencrypt-", 0).factory());
        Semaphore inFlight = new Semaphore(settings.parallel());
        Thread ticker = Thread.ofPlatform().daemon().name("coffer-reencrypt-progress").start(() -> tick(started));
        boolean listingDone = false;
        String stoppedBecause = null;
        long submitted = 0;
        try {
            String continuation = null;
            page:
            while (true) {
                ListObjectsV2Request.Builder list = ListObjectsV2Request.builder().bucket(settings.bucket());
                if (settings.prefix() != null) {
                    list.prefix(settings.prefix());
                }
                if (continuation != null) {
                    list.continuationToken(continuation);
                } else if (startAfter != null) {
                    list.startAfter(startAfter);
                }
                ListObjectsV2Response response = s3.listObjectsV2(list.build());
                for (S3Object object : response.contents()) {
                    if (stop.get()) {
                        stoppedBecause = "interrupted";
                        break page;
                    }
                    if (settings.maxObjects() > 0 && submitted >= settings.maxObjects()) {
                        stoppedBecause = "--max-objects " + settings.maxObjects() + " reached";
                        break page;
                    }
                    Slot slot = enqueue(object.key());
                    inFlight.acquire();
                    submitted++;
                    workers.execute(() -> {
                        try {
                            finish(slot, handle(object));
                        } catch (RuntimeException e) {
                            finish(slot, failure(object.key(), e));
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                if (!Boolean.TRUE.equals(response.isTruncated())) {
                    listingDone = true;
                    break;
                }
                String next = response.nextContinuationToken();
                if (next == null || next.equals(continuation)) {
                    throw new CommandFailedException("the gateway's listing of " + settings.bucket()
                            + " did not advance; stopping (the state file keeps the position)");
                }
                continuation = next;
            }
        } finally {
            workers.shutdown();
            while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                err.println("coffer: waiting for " + (settings.parallel() - inFlight.availablePermits()) + " copies in flight");
                err.flush();
            }
            ticker.interrupt();
            ticker.join();
            saveCheckpoint();
        }
        boolean complete = listingDone && stoppedBecause == null;
        if (checkpoint != null && complete && failed.get() == 0) {
            checkpoint.delete();
        }
        printProgress(started);
        synchronized (failures) {
            return new Summary(reencrypted.get(), alreadyAsAsked.get(), changed.get(), sseC.get(), failed.get(), bytes.get(),
                    List.copyOf(failures), complete, stoppedBecause);
        }
    }

    private enum Outcome { REENCRYPTED, AS_ASKED, CHANGED, SSE_C, FAILED }

    private static final class Slot {
        final String key;
        Outcome outcome;

        Slot(String key) {
            this.key = key;
        }
    }

    private Slot enqueue(String key) throws InterruptedException {
        Slot slot = new Slot(key);
        synchronized (window) {
            while (window.size() >= WINDOW) {
                window.wait();
            }
            window.addLast(slot);
        }
        return slot;
    }

    private void finish(Slot slot, Outcome outcome) {
        synchronized (window) {
            slot.outcome = outcome;
            while (!window.isEmpty() && window.peekFirst().outcome != null) {
                Slot done = window.removeFirst();
                if (done.outcome == Outcome.FAILED) {
                    failureSeen = true;
                }
                if (!failureSeen) {
                    checkpointKey = done.key;
                    resolvedBeforeCheckpoint++;
                }
            }
            window.notifyAll();
        }
    }

    private Outcome handle(S3Object listed) {
        String key = listed.key();
        HeadObjectResponse head;
        try {
            head = s3.headObject(h -> h.bucket(settings.bucket()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                changed.incrementAndGet();
                return Outcome.CHANGED;
            }
            if (e.statusCode() == 400) {
                // HEAD of an SSE-C object without its key: 400. It is encrypted, with a key this run does not have.
                sseC.incrementAndGet();
                return Outcome.SSE_C;
            }
            throw e;
        }
        if (head.sseCustomerAlgorithm() != null) {
            sseC.incrementAndGet();
            return Outcome.SSE_C;
        }
        if (!settings.force() && settings.target().satisfiedBy(head, keyArn.get())) {
            alreadyAsAsked.incrementAndGet();
            return Outcome.AS_ASKED;
        }
        long size = head.contentLength() == null ? listed.size() : head.contentLength();
        try {
            if (size > settings.multipartThreshold()) {
                copyInParts(key, head, size);
            } else {
                copy(key, head.eTag());
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                changed.incrementAndGet();
                return Outcome.CHANGED;
            }
            throw e;
        }
        reencrypted.incrementAndGet();
        bytes.addAndGet(size);
        return Outcome.REENCRYPTED;
    }

    private void copy(String key, String etag) {
        ReencryptTarget target = settings.target();
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                .sourceBucket(settings.bucket()).sourceKey(key)
                .destinationBucket(settings.bucket()).destinationKey(key)
                .copySourceIfMatch(etag)
                .metadataDirective(MetadataDirective.COPY)
                .serverSideEncryption(target.algorithm());
        if (target.kms()) {
            copy.ssekmsKeyId(target.kmsKeyId()).bucketKeyEnabled(target.bucketKeyEnabled());
        }
        CopyObjectResponse response = s3.copyObject(copy.build());
        learnKeyArn(response.ssekmsKeyId());
    }

    /** Above CopyObject's limit: a multipart upload of parts copied from the object itself; the old version stays until Complete. */
    private void copyInParts(String key, HeadObjectResponse head, long size) {
        ReencryptTarget target = settings.target();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket()).key(key)
                .contentType(head.contentType()).cacheControl(head.cacheControl())
                .contentDisposition(head.contentDisposition()).contentEncoding(head.contentEncoding())
                .contentLanguage(head.contentLanguage()).expires(head.expires())
                .metadata(head.metadata())
                .serverSideEncryption(target.algorithm());
        if (target.kms()) {
            create.ssekmsKeyId(target.kmsKeyId()).bucketKeyEnabled(target.bucketKeyEnabled());
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long first = 0; first < size; first += settings.partBytes(), number++) {
                if (stop.get()) {
                    throw new IllegalStateException("interrupted before the last part; the object is unchanged");
                }
                long last = Math.min(size, first + settings.partBytes()) - 1;
                int partNumber = number;
                long from = first;
                String etag = s3.uploadPartCopy(p -> p.sourceBucket(settings.bucket()).sourceKey(key)
                        .destinationBucket(settings.bucket()).destinationKey(key)
                        .uploadId(uploadId).partNumber(partNumber)
                        .copySourceRange("bytes=" + from + "-" + last)
                        .copySourceIfMatch(head.eTag())).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            learnKeyArn(s3.completeMultipartUpload(c -> c.bucket(settings.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).ssekmsKeyId());
            completed = true;
        } finally {
            if (!completed) {
                try {
                    s3.abortMultipartUpload(a -> a.bucket(settings.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    err.println("coffer: could not abort the upload " + uploadId + " of " + key + ": " + e.getMessage());
                }
            }
        }
    }

    private void learnKeyArn(String arn) {
        if (settings.target().kms() && arn != null) {
            keyArn.compareAndSet(null, arn);
        }
    }

    private Outcome failure(String key, RuntimeException e) {
        failed.incrementAndGet();
        String reason = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null && s3e.awsErrorDetails().errorCode() != null
                ? s3e.awsErrorDetails().errorCode() + ": " + s3e.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        synchronized (failures) {
            failures.add(key + ": " + (reason == null ? "" : reason.strip().replaceAll("\\s+", " ")));
        }
        return Outcome.FAILED;
    }

    private void tick(long started) {
        try {
            while (true) {
                Thread.sleep(PROGRESS_INTERVAL_MILLIS);
                printProgress(started);
                saveCheckpoint();
            }
        } catch (InterruptedException e) {
            // the run is over
        } catch (RuntimeException e) {
            err.println("coffer: " + e.getMessage());
            err.flush();
        }
    }

    private void saveCheckpoint() {
        if (checkpoint == null) {
            return;
        }
        String key;
        long objects;
        synchronized (window) {
            key = checkpointKey;
            objects = resolvedBeforeCheckpoint;
        }
        if (key != null && !key.equals(savedKey)) {
            checkpoint.save(key, objects);
            savedKey = key;
        }
    }

    private void printProgress(long started) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        err.printf(Locale.ROOT, "reencrypt %s: %d re-encrypted, %d already as asked, %d changed meanwhile, %d SSE-C, %d failed;"
                        + " %s copied, %s/s%n",
                settings.bucket(), reencrypted.get(), alreadyAsAsked.get(), changed.get(), sseC.get(), failed.get(),
                size(bytes.get()), size((long) (bytes.get() / seconds)));
        err.flush();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

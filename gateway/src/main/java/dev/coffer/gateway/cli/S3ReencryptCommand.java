package dev.coffer.gateway.cli;

import dev.coffer.gateway.config.ServeConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * {@code coffer s3 reencrypt}: gives the existing objects of a bucket (or of a prefix) the encryption
 * asked for, or the bucket's default encryption, by copying each onto itself on the gateway. See
 * {@link S3Reencryptor} for how it keeps every object readable and resumes.
 */
@Command(name = "reencrypt",
        mixinStandardHelpOptions = true,
        description = {
            "Re-encrypts the existing objects of a bucket (default encryption applies to new objects only):"
                    + " copies each object onto itself, on the gateway, with the encryption given by --sse or else"
                    + " the bucket's default encryption. Metadata is kept. Objects already encrypted as asked are"
                    + " skipped (--force copies them too); SSE-C objects are left as they are.",
            "Progress goes to standard error once a second. An interrupted run (Ctrl-C, --max-objects, a failure)"
                    + " resumes where it stopped when run again with the same arguments; no object is ever left"
                    + " unreadable: each copy replaces its object only once complete."
        })
final class S3ReencryptCommand implements Callable<Integer> {
    private static final long MIN_PART_BYTES = 5L * 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bucket", required = true, paramLabel = "BUCKET", description = "The bucket whose objects to re-encrypt.")
    private String bucket;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only the objects whose key starts with PREFIX.")
    private String prefix;

    @Option(names = "--sse", paramLabel = "ALGORITHM",
            description = "AES256 (SSE-S3) or aws:kms (SSE-KMS). Default: the bucket's default encryption; a bucket"
                    + " without one is refused.")
    private String sse;

    @Option(names = "--sse-kms-key-id", paramLabel = "KEY",
            description = "With --sse aws:kms: the KMS key (id, ARN or alias). Default: the AWS managed key aws/s3.")
    private String kmsKeyId;

    @Option(names = "--bucket-key-enabled", description = "With --sse aws:kms: use an S3 Bucket Key.")
    private boolean bucketKeyEnabled;

    @Option(names = "--force", description = "Also copy objects already encrypted as asked (for example to get new data keys).")
    private boolean force;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Copies in flight at once (1 to 64). Default: ${DEFAULT-VALUE}.")
    private int parallel;

    @Option(names = "--max-objects", paramLabel = "N",
            description = "Stop after N objects (re-encrypted, skipped or failed); the next run continues after them.")
    private long maxObjects;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Where to keep the position to resume from. Default: <data-dir>/reencrypt/reencrypt-<bucket>-<hash>.state"
                    + " when the data directory exists, else ~/.coffer/reencrypt/; one file per bucket, prefix, encryption and"
                    + " endpoint. Deleted after a complete run.")
    private Path stateFile;

    @Option(names = "--restart", description = "Ignore (and replace) the saved position: start at the first object.")
    private boolean restart;

    @Option(names = "--multipart-threshold", hidden = true, paramLabel = "BYTES",
            description = "Objects larger than this are copied in parts (default and maximum: 5 GiB, CopyObject's limit).")
    private long multipartThreshold = S3Reencryptor.COPY_OBJECT_LIMIT;

    @Option(names = "--part-size", hidden = true, paramLabel = "BYTES", description = "Part size of those copies (default 512 MiB).")
    private long partBytes = S3Reencryptor.DEFAULT_PART_BYTES;

    private final Map<String, String> environment;

    S3ReencryptCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        ParseResult parsed = CommandSettings.leaf(spec);
        ServeConfig config = CommandSettings.resolve(environment, parsed, false);
        URI endpoint = AdminCommand.endpoint(parsed.matchedOptionValue(AdminCommand.ENDPOINT_URL, null), config);
        AdminCredentials credentials = AdminCredentials.resolve(environment, config.dataDir());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SdkHttpClient http = ApacheHttpClient.builder()
                .maxConnections(parallel + 2)
                .connectionTimeout(Duration.ofSeconds(10))
                // The gateway answers a copy once it is complete: up to 5 GiB (or a part) copied server-side.
                .socketTimeout(Duration.ofMinutes(30))
                .build();
        try (http; S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(config.region()))
                .forcePathStyle(true)
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build()) {
            ReencryptTarget target = target(s3, endpoint);
            String keyArn = target.kms() ? keyArn(target, endpoint, config, http, credentials) : null;
            String identity = endpoint + " " + bucket + " " + (prefix == null ? "" : prefix) + " " + target.fingerprint();
            ReencryptCheckpoint checkpoint = stateFile != null
                    ? ReencryptCheckpoint.at(stateFile, identity)
                    : ReencryptCheckpoint.in(defaultStateDir(config.dataDir()), bucket, identity);
            Optional<ReencryptCheckpoint.Saved> saved = restart ? Optional.empty() : checkpoint.load();
            err.println("coffer s3 reencrypt: bucket " + bucket + (prefix == null ? "" : ", prefix '" + prefix + "'")
                    + " to " + target.describe() + (target.origin().equals("--sse") ? "" : " from " + target.origin())
                    + (force ? ", --force" : ""));
            saved.ifPresentOrElse(
                    position -> err.println("coffer s3 reencrypt: resuming after '" + position.afterKey() + "' ("
                            + position.objects() + " objects done before; state " + checkpoint.file() + "; --restart starts over)"),
                    () -> err.println("coffer s3 reencrypt: state " + checkpoint.file()));
            err.flush();

            S3Reencryptor.Settings settings = new S3Reencryptor.Settings(bucket, prefix, target, parallel, force, maxObjects,
                    Math.min(multipartThreshold, S3Reencryptor.COPY_OBJECT_LIMIT), partBytes);
            S3Reencryptor reencryptor = new S3Reencryptor(s3, settings, keyArn, checkpoint, err);
            return runStoppingOnSignal(reencryptor, saved, err, summary -> report(summary, out, err));
        } catch (S3Exception e) {
            throw new CommandFailedException("bucket " + bucket + ": " + describe(e), e);
        } catch (SdkClientException e) {
            throw new CommandFailedException("cannot reach " + endpoint + ": " + e.getMessage()
                    + " (is 'coffer serve' running there? --endpoint-url, or --http-port and --bind as it was started with)", e);
        }
    }

    private void validate() {
        CommandLine commandLine = spec.commandLine();
        if (sse != null && !sse.equals("AES256") && !sse.equals("aws:kms")) {
            throw new ParameterException(commandLine, "--sse: AES256 or aws:kms, got " + sse);
        }
        if ((kmsKeyId != null || bucketKeyEnabled) && !"aws:kms".equals(sse)) {
            throw new ParameterException(commandLine, "--sse-kms-key-id and --bucket-key-enabled go with --sse aws:kms");
        }
        if (kmsKeyId != null && kmsKeyId.isBlank()) {
            throw new ParameterException(commandLine, "--sse-kms-key-id: must not be empty");
        }
        if (parallel < 1 || parallel > 64) {
            throw new ParameterException(commandLine, "--parallel: 1 to 64, got " + parallel);
        }
        if (maxObjects < 0) {
            throw new ParameterException(commandLine, "--max-objects: must not be negative");
        }
        if (partBytes < MIN_PART_BYTES || partBytes > S3Reencryptor.COPY_OBJECT_LIMIT) {
            throw new ParameterException(commandLine, "--part-size: 5 MiB to 5 GiB");
        }
        if (multipartThreshold < 0) {
            throw new ParameterException(commandLine, "--multipart-threshold: must not be negative");
        }
    }

    /** From --sse, else the bucket's default encryption, which must exist. */
    private ReencryptTarget target(S3Client s3, URI endpoint) {
        if (sse != null) {
            return new ReencryptTarget(ServerSideEncryption.fromValue(sse), kmsKeyId, bucketKeyEnabled, "--sse");
        }
        ServerSideEncryptionRule rule;
        try {
            rule = s3.getBucketEncryption(g -> g.bucket(bucket)).serverSideEncryptionConfiguration().rules().stream()
                    .filter(r -> r.applyServerSideEncryptionByDefault() != null).findFirst().orElse(null);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ServerSideEncryptionConfigurationNotFoundError".equals(code)) {
                rule = null;
            } else {
                throw new CommandFailedException("GetBucketEncryption " + bucket + ": " + describe(e), e);
            }
        }
        if (rule == null) {
            throw new CommandFailedException("bucket " + bucket + " has no default encryption: give --sse AES256 or --sse aws:kms"
                    + " [--sse-kms-key-id KEY], or set the bucket's default first (aws s3api put-bucket-encryption --endpoint-url "
                    + endpoint + " ...)");
        }
        ServerSideEncryptionByDefault byDefault = rule.applyServerSideEncryptionByDefault();
        ServerSideEncryption algorithm = byDefault.sseAlgorithm();
        if (algorithm != ServerSideEncryption.AES256 && algorithm != ServerSideEncryption.AWS_KMS) {
            throw new CommandFailedException("bucket " + bucket + ": its default encryption " + byDefault.sseAlgorithmAsString()
                    + " is not one this command applies; give --sse AES256 or --sse aws:kms");
        }
        return new ReencryptTarget(algorithm, byDefault.kmsMasterKeyID(), Boolean.TRUE.equals(rule.bucketKeyEnabled()),
                "the bucket's default encryption");
    }

    /**
     * The ARN objects under the target key show at HEAD: the key as given if it is a key ARN, else what
     * the KMS on the same edge port says it is; null when that cannot be asked (the run then learns it
     * from its first copy).
     */
    private static String keyArn(ReencryptTarget target, URI endpoint, ServeConfig config, SdkHttpClient http,
                                 AdminCredentials credentials) {
        String given = target.kmsKeyId();
        if (given != null && given.startsWith("arn:") && given.contains(":key/")) {
            return given;
        }
        try (KmsClient kms = KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(config.region()))
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build()) {
            return kms.describeKey(d -> d.keyId(given == null ? "alias/aws/s3" : given)).keyMetadata().arn();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Path defaultStateDir(Path dataDir) {
        if (Files.isDirectory(dataDir)) {
            return dataDir.resolve("reencrypt");
        }
        return Path.of(System.getProperty("user.home"), ".coffer", "reencrypt");
    }

    /**
     * Runs and reports; on Ctrl-C (or SIGTERM) the run stops after the copies in flight, saves the
     * position and reports before the JVM exits.
     */
    private static int runStoppingOnSignal(S3Reencryptor reencryptor, Optional<ReencryptCheckpoint.Saved> saved,
                                           PrintWriter err, ToIntFunction<S3Reencryptor.Summary> report)
            throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println("coffer s3 reencrypt: stopping after the copies in flight; run the same command again to resume");
            err.flush();
            reencryptor.requestStop();
            try {
                finished.await(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "coffer-reencrypt-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            // Reported before the hook is released: once it returns, the JVM halts.
            return report.applyAsInt(reencryptor.run(saved.map(ReencryptCheckpoint.Saved::afterKey).orElse(null),
                    saved.map(ReencryptCheckpoint.Saved::objects).orElse(0L)));
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running; it returns now that the run is over
            }
        }
    }

    private int report(S3Reencryptor.Summary summary, PrintWriter out, PrintWriter err) {
        String counts = summary.reencrypted() + " re-encrypted (" + S3Reencryptor.size(summary.bytes()) + "), "
                + summary.alreadyAsAsked() + " already as asked, " + summary.changed() + " changed or deleted meanwhile, "
                + summary.sseC() + " SSE-C left as is, " + summary.failed() + " failed";
        if (summary.complete()) {
            out.println("done: " + counts);
        } else {
            out.println("stopped (" + summary.stoppedBecause() + "): " + counts
                    + "; run the same command again to continue");
        }
        out.flush();
        if (summary.failed() > 0) {
            int shown = 0;
            for (String failure : summary.failures()) {
                if (shown++ == 100) {
                    err.println("coffer: ... and " + (summary.failures().size() - 100) + " more");
                    break;
                }
                err.println("coffer: failed: " + failure);
            }
            err.flush();
            throw new CommandFailedException(summary.failed() + " object(s) failed and are unchanged; run the same command"
                    + " again to retry them");
        }
        return CommandLine.ExitCode.OK;
    }

    private static String describe(S3Exception e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
        return "HTTP " + e.statusCode();
    }
}

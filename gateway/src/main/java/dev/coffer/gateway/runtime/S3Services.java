package dev.coffer.gateway.runtime;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.gateway.sse.KmsClientKeyService;
import dev.coffer.s3.S3Config;
import dev.coffer.s3.S3Service;
import dev.coffer.s3.auth.S3Authenticator;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.engine.EmbeddedObjectStore;
import dev.coffer.s3.engine.EngineOptions;
import dev.coffer.s3.engine.ObjectStore;
import dev.coffer.s3.ops.S3Context;
import dev.coffer.s3.sse.DataKeyCache;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.ObjectKeys;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The S3 front end of one gateway: the embedded object store under {@code <data-dir>/s3}, the key
 * service its server-side encryption gets data keys from, and the protocol service.
 */
final class S3Services {
    /** What {@link #start} built: the protocol service, the key service it encrypts with, and its object keys. */
    record Started(S3Service protocol, KeyService keyService, ObjectKeys objectKeys) {}

    private S3Services() {
    }

    /**
     * @param boundEdgeAddress the edge HTTP port's address once bound (the embedded KMS listens there),
     *     empty before
     */
    static Started start(ServeConfig config, IdentityStore identities, Supplier<Optional<InetSocketAddress>> boundEdgeAddress,
                         Deque<AutoCloseable> started) throws StartupException {
        Path directory = config.dataDir().resolve("s3");
        ObjectStore store;
        try {
            store = EmbeddedObjectStore.open(directory, EngineOptions.defaults());
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the object store in " + directory + ": " + e.getMessage(), e);
        }
        started.push(store);
        KeyService keys = KmsClientKeyService.start(config, identities, boundEdgeAddress, started);
        Clock clock = Clock.systemUTC();
        ObjectKeys objectKeys = new ObjectKeys(keys, DataKeyCache.defaults(clock), new SecureRandom(),
                ObjectStreamParameters.DEFAULT_SEGMENT_SIZE_BYTES);
        S3Context context = new S3Context(S3Config.defaults(config.region()).withSseCOverPlainHttp(config.s3SseCOverHttp()), store, new S3Authorizer(identities::identityPolicies),
                clock, objectKeys);
        return new Started(new S3Service(context, new S3Authenticator(new SigV4Verifier<Principal>(identities, config.region(), clock),
                clock)), keys, objectKeys);
    }
}

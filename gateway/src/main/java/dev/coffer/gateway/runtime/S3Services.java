package dev.coffer.gateway.runtime;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.gateway.config.ServeConfig;
import dev.coffer.s3.S3Config;
import dev.coffer.s3.S3Service;
import dev.coffer.s3.auth.S3Authenticator;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.engine.EmbeddedObjectStore;
import dev.coffer.s3.engine.EngineOptions;
import dev.coffer.s3.engine.ObjectStore;
import dev.coffer.s3.ops.S3Context;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.s3.sse.DataKeyCache;
import dev.coffer.s3.sse.GeneratedDataKey;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import dev.coffer.s3.sse.ObjectKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.time.Clock;
import java.util.Deque;

/** The S3 front end of one gateway: the embedded object store under {@code <data-dir>/s3} and the protocol service. */
final class S3Services {
    private S3Services() {
    }

    static S3Service start(ServeConfig config, IdentityStore identities, Deque<AutoCloseable> started) throws StartupException {
        Path directory = config.dataDir().resolve("s3");
        ObjectStore store;
        try {
            store = EmbeddedObjectStore.open(directory, EngineOptions.defaults());
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the object store in " + directory + ": " + e.getMessage(), e);
        }
        started.push(store);
        Clock clock = Clock.systemUTC();
        // The KMS-backed key service lands with the gateway's KmsClient keyring; until then SSE-S3 and SSE-KMS answer 503.
        KeyService keys = new KeyService() {
            @Override
            public GeneratedDataKey generateDataKey(KmsRequester requester, String keyId, Map<String, String> encryptionContext) {
                throw new KeyServiceException(KeyServiceException.UNAVAILABLE, "no KMS is configured");
            }

            @Override
            public SecretBytes decrypt(KmsRequester requester, String keyArn, byte[] blob, Map<String, String> encryptionContext) {
                throw new KeyServiceException(KeyServiceException.UNAVAILABLE, "no KMS is configured");
            }
        };
        ObjectKeys objectKeys = new ObjectKeys(keys, DataKeyCache.defaults(clock), new SecureRandom(),
                ObjectStreamParameters.DEFAULT_SEGMENT_SIZE_BYTES);
        S3Context context = new S3Context(S3Config.defaults(config.region()), store, new S3Authorizer(identities::identityPolicies),
                clock, objectKeys);
        return new S3Service(context, new S3Authenticator(new SigV4Verifier<Principal>(identities, config.region(), clock), clock));
    }
}

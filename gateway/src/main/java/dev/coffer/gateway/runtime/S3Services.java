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
import java.nio.file.Path;
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
        S3Context context = new S3Context(S3Config.defaults(config.region()), store, new S3Authorizer(identities::identityPolicies),
                clock);
        return new S3Service(context, new S3Authenticator(new SigV4Verifier<Principal>(identities, config.region(), clock), clock));
    }
}

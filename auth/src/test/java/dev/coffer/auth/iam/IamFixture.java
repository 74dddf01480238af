package dev.coffer.auth.iam;

import dev.coffer.auth.identity.AesGcmSecretSealer;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An identity store on a temporary directory, the account root's key installed as the gateway does,
 * and an {@link IamService} whose clock stands still at {@link #NOW}.
 */
final class IamFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String ROOT_ACCESS_KEY = "AKIACOFFERROOT000001";
    static final String ROOT_SECRET = "rootSecretKeyForTestsOnly/0123456789abcd";
    static final String POLICY_ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";
    static final String POLICY_ALLOW_LIST_USERS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}""";

    final IdentityStore store;
    final IamService service;

    IamFixture(Path directory) {
        this(directory, "us-east-1");
    }

    IamFixture(Path directory, String region) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = IdentityStore.open(directory, new AesGcmSecretSealer(SecretBytes.copyOf(new byte[32]), new SecureRandom()),
                new SecureRandom(), clock);
        store.setRootAccessKey(ROOT_ACCESS_KEY, SecretBytes.copyOf(ROOT_SECRET.getBytes(StandardCharsets.US_ASCII)));
        service = new IamService(store, IamConfig.defaults(region), clock);
    }

    String account() {
        return store.account().value();
    }

    String userArn(String pathAndName) {
        return "arn:aws:iam::" + account() + ":user" + pathAndName;
    }

    /** A client signing with the account root's key. */
    IamTestClient root() {
        return new IamTestClient(service, ROOT_ACCESS_KEY, ROOT_SECRET);
    }

    /**
     * Creates {@code userName} with the given inline policies (as root) and returns a client signing
     * with a fresh access key of that user.
     */
    IamTestClient user(String userName, String... policies) {
        IamTestClient root = root();
        root.call("CreateUser", "UserName", userName).expectOk();
        for (int i = 0; i < policies.length; i++) {
            root.call("PutUserPolicy", "UserName", userName, "PolicyName", "p" + i, "PolicyDocument", policies[i]).expectOk();
        }
        IamTestReply key = root.call("CreateAccessKey", "UserName", userName).expectOk();
        return new IamTestClient(service, key.text("AccessKeyId"), key.text("SecretAccessKey"));
    }

    @Override
    public void close() {
        store.close();
    }
}

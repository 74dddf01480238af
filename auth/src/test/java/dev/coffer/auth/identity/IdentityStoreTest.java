package dev.coffer.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.sigv4.SigningCredential;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
    private static final SecretBytes SEALING_KEY = SecretBytes.copyOf(new byte[32]);

    @TempDir
    Path dir;

    private IdentityStore open() {
        return IdentityStore.open(dir, new AesGcmSecretSealer(SEALING_KEY, new SecureRandom()), new SecureRandom(), Clock.systemUTC());
    }

    @Test
    void accountIdIsChosenOnceAndKept() {
        String first;
        try (IdentityStore store = open()) {
            first = store.account().value();
            assertThat(first).matches("[1-9]\\d{11}");
        }
        try (IdentityStore store = open()) {
            assertThat(store.account().value()).isEqualTo(first);
        }
    }

    @Test
    void accessKeySecretVerifiesAfterRestartAndIsNeverStoredInPlaintext() throws Exception {
        String id;
        byte[] secret;
        try (IdentityStore store = open()) {
            store.createUser("alice", null);
            NewAccessKey key = store.createAccessKey("alice");
            id = key.key().accessKeyId();
            secret = key.secretAccessKey().toByteArray(SecretAccess.explicitly());
            assertThat(id).matches("AKIA[A-Z2-7]{16}");
            assertThat(secret).hasSize(40);
            assertThat(key.toString()).doesNotContain(new String(secret, StandardCharsets.US_ASCII));
        }
        try (IdentityStore store = open()) {
            SigningCredential<Principal> credential = store.find(id).orElseThrow();
            assertThat(credential.secretAccessKey().toByteArray(SecretAccess.explicitly())).isEqualTo(secret);
            assertThat(credential.principal()).isInstanceOfSatisfying(Principal.User.class, u -> {
                assertThat(u.userName()).isEqualTo("alice");
                assertThat(u.arn()).isEqualTo("arn:aws:iam::" + store.account() + ":user/alice");
            });
        }
        try (Stream<Path> files = Files.walk(dir)) {
            String needle = new String(secret, StandardCharsets.US_ASCII);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(needle);
            }
        }
    }

    @Test
    void userRulesFollowIam() {
        try (IdentityStore store = open()) {
            store.createUser("bob", "/team/");
            assertThatThrownBy(() -> store.createUser("BOB", null)).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.ENTITY_ALREADY_EXISTS));
            assertThatThrownBy(() -> store.createUser("bad name!", null)).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.VALIDATION_ERROR));
            store.createAccessKey("bob");
            store.createAccessKey("bob");
            assertThatThrownBy(() -> store.createAccessKey("bob")).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.LIMIT_EXCEEDED));
            assertThatThrownBy(() -> store.deleteUser("bob")).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.DELETE_CONFLICT));
            store.listAccessKeys("bob").forEach(k -> store.deleteAccessKey("bob", k.accessKeyId()));
            store.putUserPolicy("bob", "p1", "{}");
            assertThatThrownBy(() -> store.deleteUser("bob")).isInstanceOfSatisfying(IdentityException.class,
                    e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.DELETE_CONFLICT));
            store.deleteUserPolicy("bob", "p1");
            store.deleteUser("bob");
            assertThat(store.findUser("bob")).isEmpty();
        }
    }

    @Test
    void deletedOrUnknownKeysDoNotAuthenticate() {
        try (IdentityStore store = open()) {
            store.createUser("carol", null);
            NewAccessKey key = store.createAccessKey("carol");
            assertThat(store.find(key.key().accessKeyId())).isPresent();
            store.deleteAccessKey("carol", key.key().accessKeyId());
            assertThat(store.find(key.key().accessKeyId())).isEmpty();
            assertThat(store.find("AKIANOSUCHKEY0000000")).isEmpty();
        }
    }

    @Test
    void rootKeyFromEnvironmentReplacesGeneratedOne() {
        try (IdentityStore store = open()) {
            NewAccessKey generated = store.createRootAccessKeyIfAbsent().orElseThrow();
            assertThat(store.createRootAccessKeyIfAbsent()).isEmpty();
            assertThat(store.find(generated.key().accessKeyId()).orElseThrow().principal().isRoot()).isTrue();
            store.setRootAccessKey("COFFERROOTKEY0001", SecretBytes.copyOf("s3cret".getBytes(StandardCharsets.US_ASCII)));
            assertThat(store.find(generated.key().accessKeyId())).isEmpty();
            assertThat(store.find("COFFERROOTKEY0001").orElseThrow().principal()).isEqualTo(store.root());
        }
    }

    @Test
    void policiesAreListedPerUserAndApplyOnlyToThatUser() {
        try (IdentityStore store = open()) {
            store.createUser("dave", null);
            store.createUser("dave2", null);
            store.putUserPolicy("dave", "read", "{\"a\":1}");
            store.putUserPolicy("dave2", "write", "{\"b\":2}");
            assertThat(store.userPolicyNames("dave")).containsExactly("read");
            assertThat(store.identityPolicies(store.user("dave").principal(store.account()))).containsExactly("{\"a\":1}");
            assertThat(store.identityPolicies(store.root())).isEmpty();
        }
    }
}

package dev.coffer.auth.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.coffer.auth.sigv4.CredentialLookup;
import dev.coffer.auth.sigv4.SigningCredential;
import dev.coffer.auth.store.Codec;
import dev.coffer.auth.store.KeyValueStore;
import dev.coffer.auth.store.Table;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts' identities: the account id, IAM users, access keys (secrets stored only sealed), and
 * users' inline identity policies, in the embedded metadata store. Also the {@link CredentialLookup}
 * the SigV4 verifier uses. Thread-safe; changes are synced before they return.
 *
 * <p>Limits as IAM: user names 1-64 of {@code [\w+=,.@-]}, two access keys per user, policy names
 * 1-128 of the same characters, inline policy documents at most 2,048 characters per user... (AWS:
 * 2,048 for users' inline policies in aggregate; enforced here per document).
 */
public final class IdentityStore implements CredentialLookup<Principal>, AutoCloseable {
    public static final int MAX_ACCESS_KEYS_PER_USER = 2;
    public static final int MAX_POLICY_DOCUMENT_CHARS = 2048;
    private static final String NAME_PATTERN = "[\\w+=,.@-]{1,64}";
    private static final String POLICY_NAME_PATTERN = "[\\w+=,.@-]{1,128}";
    private static final String ROOT_OWNER = "";

    /** Stored form of an access key: the secret only sealed. */
    record StoredAccessKey(String accessKeyId, String userName, boolean active, Instant createDate, String sealedSecret) {}

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    static final Table<String, String> SETTINGS = new Table<>("settings", Codec.utf8(), Codec.utf8());
    static final Table<String, User> USERS = new Table<>("users", Codec.utf8(), Codec.json(User.class, JSON));
    static final Table<String, StoredAccessKey> ACCESS_KEYS =
            new Table<>("access_keys", Codec.utf8(), Codec.json(StoredAccessKey.class, JSON));
    /** Key: user name, NUL, policy name. */
    static final Table<String, String> USER_POLICIES = new Table<>("user_policies", Codec.utf8(), Codec.utf8());

    private final KeyValueStore store;
    private final SecretSealer sealer;
    private final SecureRandom random;
    private final Clock clock;
    private final AccountId account;
    private final Map<String, SigningCredential<Principal>> credentialCache = new ConcurrentHashMap<>();
    /** Credentials of Coffer's own services: in memory only, new at every start. */
    private final Map<String, SigningCredential<Principal>> serviceCredentials = new ConcurrentHashMap<>();

    private IdentityStore(KeyValueStore store, SecretSealer sealer, SecureRandom random, Clock clock, AccountId account) {
        this.store = store;
        this.sealer = sealer;
        this.random = random;
        this.clock = clock;
        this.account = account;
    }

    /** Opens the identity store in {@code directory}, choosing the account id on first start. */
    public static IdentityStore open(Path directory, SecretSealer sealer, SecureRandom random, Clock clock) {
        KeyValueStore store = KeyValueStore.open(directory, List.of(SETTINGS, USERS, ACCESS_KEYS, USER_POLICIES));
        try {
            String accountId = store.get(SETTINGS, "account-id").orElseGet(() -> {
                String id = AccountId.random(random).value();
                store.put(SETTINGS, "account-id", id);
                return id;
            });
            return new IdentityStore(store, sealer, random, clock, new AccountId(accountId));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public AccountId account() {
        return account;
    }

    public Principal.Root root() {
        return new Principal.Root(account);
    }

    // ---- root credentials ------------------------------------------------------------------------

    /**
     * Makes the given key the account root's only access key (from COFFER_ROOT_ACCESS_KEY /
     * COFFER_ROOT_SECRET_KEY), replacing any other root key.
     */
    public void setRootAccessKey(String accessKeyId, SecretBytes secret) {
        if (!accessKeyId.matches("[A-Z0-9]{16,128}")) {
            throw new IdentityException(IdentityException.Kind.VALIDATION_ERROR,
                    "root access key id must be 16-128 upper-case letters or digits");
        }
        List<AccessKey> existing = accessKeysOf(ROOT_OWNER);
        store.write(b -> {
            for (AccessKey k : existing) {
                if (!k.accessKeyId().equals(accessKeyId)) {
                    b.delete(ACCESS_KEYS, k.accessKeyId());
                }
            }
            b.put(ACCESS_KEYS, accessKeyId, stored(accessKeyId, ROOT_OWNER, secret));
        });
        credentialCache.clear();
    }

    /** Creates the root access key when the account has none; empty if it already has one. */
    public Optional<NewAccessKey> createRootAccessKeyIfAbsent() {
        if (!accessKeysOf(ROOT_OWNER).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(newAccessKey(ROOT_OWNER));
    }

    /**
     * Issues an access key for one of Coffer's own services ({@code s3}, {@code ec2}), held only in
     * this process's memory and gone at restart, so it can never leak through the data directory.
     */
    public NewAccessKey issueServiceCredential(String serviceName) {
        if (!serviceName.matches("[a-z0-9]{2,32}")) {
            throw new IdentityException(IdentityException.Kind.VALIDATION_ERROR, "service name must be 2-32 lower-case letters or digits");
        }
        String id = "ASIA" + randomChars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        SecretBytes secret = SecretBytes.takeOwnership(randomChars(40,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").getBytes(StandardCharsets.US_ASCII));
        serviceCredentials.put(id, new SigningCredential<>(id, secret, new Principal.Service(account, serviceName)));
        return new NewAccessKey(new AccessKey(id, null, true, clock.instant()), secret);
    }

    // ---- users -------------------------------------------------------------------------------------

    public User createUser(String userName, String path) {
        checkName(userName, NAME_PATTERN, "userName");
        String p = path == null || path.isEmpty() ? "/" : path;
        if (!p.matches("/([\\x21-\\x7e]*/)?") || p.length() > 512) {
            throw new IdentityException(IdentityException.Kind.VALIDATION_ERROR, "path must begin and end with '/'");
        }
        synchronized (this) {
            if (findUser(userName).isPresent()) {
                throw new IdentityException(IdentityException.Kind.ENTITY_ALREADY_EXISTS,
                        "User with name " + userName + " already exists.");
            }
            User user = new User(userName, "AIDA" + randomChars(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), p, clock.instant());
            store.put(USERS, key(userName), user);
            return user;
        }
    }

    /** IAM user names are case-insensitive for uniqueness: stored under the lower-case key. */
    public Optional<User> findUser(String userName) {
        return store.get(USERS, key(userName));
    }

    public User user(String userName) {
        return findUser(userName).orElseThrow(() -> noSuchUser(userName));
    }

    /** Deletes a user that has no access keys and no policies (IAM's DeleteConflict otherwise). */
    public synchronized void deleteUser(String userName) {
        User user = user(userName);
        if (!accessKeysOf(user.userName()).isEmpty()) {
            throw new IdentityException(IdentityException.Kind.DELETE_CONFLICT,
                    "Cannot delete entity, must delete access keys first.");
        }
        if (!userPolicyNames(user.userName()).isEmpty()) {
            throw new IdentityException(IdentityException.Kind.DELETE_CONFLICT,
                    "Cannot delete entity, must delete policies first.");
        }
        store.delete(USERS, key(userName));
    }

    /** Users whose path starts with {@code pathPrefix}, in name order, after {@code marker}. */
    public List<User> listUsers(String pathPrefix, String marker, int maxItems) {
        List<User> out = new ArrayList<>();
        String after = marker == null || marker.isEmpty() ? null : marker;
        while (out.size() < maxItems) {
            List<Map.Entry<String, User>> page = store.scan(USERS, "", after, maxItems);
            if (page.isEmpty()) {
                break;
            }
            for (Map.Entry<String, User> e : page) {
                if (pathPrefix == null || e.getValue().path().startsWith(pathPrefix)) {
                    out.add(e.getValue());
                    if (out.size() == maxItems) {
                        break;
                    }
                }
                after = e.getKey();
            }
        }
        return out;
    }

    // ---- access keys -------------------------------------------------------------------------------

    public synchronized NewAccessKey createAccessKey(String userName) {
        User user = user(userName);
        if (accessKeysOf(user.userName()).size() >= MAX_ACCESS_KEYS_PER_USER) {
            throw new IdentityException(IdentityException.Kind.LIMIT_EXCEEDED,
                    "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS_PER_USER);
        }
        return newAccessKey(user.userName());
    }

    public synchronized void deleteAccessKey(String userName, String accessKeyId) {
        String owner = userName == null ? ROOT_OWNER : user(userName).userName();
        StoredAccessKey k = store.get(ACCESS_KEYS, accessKeyId).filter(s -> s.userName().equals(owner))
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                        "The Access Key with id " + accessKeyId + " cannot be found."));
        store.delete(ACCESS_KEYS, k.accessKeyId());
        credentialCache.remove(accessKeyId);
    }

    public List<AccessKey> listAccessKeys(String userName) {
        return accessKeysOf(user(userName).userName());
    }

    // ---- inline policies ---------------------------------------------------------------------------

    /** Stores an inline policy; the caller has validated the document with the policy parser. */
    public void putUserPolicy(String userName, String policyName, String policyDocument) {
        User user = user(userName);
        checkName(policyName, POLICY_NAME_PATTERN, "policyName");
        if (policyDocument.length() > MAX_POLICY_DOCUMENT_CHARS) {
            throw new IdentityException(IdentityException.Kind.LIMIT_EXCEEDED,
                    "Maximum policy size of " + MAX_POLICY_DOCUMENT_CHARS + " bytes exceeded for user " + userName);
        }
        store.put(USER_POLICIES, policyKey(user.userName(), policyName), policyDocument);
    }

    public String getUserPolicy(String userName, String policyName) {
        User user = user(userName);
        return store.get(USER_POLICIES, policyKey(user.userName(), policyName))
                .orElseThrow(() -> new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY,
                        "The user policy with name " + policyName + " cannot be found."));
    }

    public void deleteUserPolicy(String userName, String policyName) {
        getUserPolicy(userName, policyName);
        store.delete(USER_POLICIES, policyKey(user(userName).userName(), policyName));
    }

    public List<String> userPolicyNames(String userName) {
        String prefix = key(userName) + "\u0000";
        return store.scan(USER_POLICIES, prefix, null, Integer.MAX_VALUE).stream()
                .map(e -> e.getKey().substring(prefix.length())).toList();
    }

    /** The identity policy documents that apply to a principal (none for root, which needs none). */
    public List<String> identityPolicies(Principal principal) {
        if (!(principal instanceof Principal.User u)) {
            return List.of();
        }
        String prefix = key(u.userName()) + "\u0000";
        return store.scan(USER_POLICIES, prefix, null, Integer.MAX_VALUE).stream().map(Map.Entry::getValue).toList();
    }

    // ---- SigV4 credential lookup -------------------------------------------------------------------

    @Override
    public Optional<SigningCredential<Principal>> find(String accessKeyId) {
        SigningCredential<Principal> service = serviceCredentials.get(accessKeyId);
        if (service != null) {
            return Optional.of(service);
        }
        SigningCredential<Principal> cached = credentialCache.get(accessKeyId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredAccessKey> stored = store.get(ACCESS_KEYS, accessKeyId).filter(StoredAccessKey::active);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredAccessKey k = stored.get();
        Principal principal;
        if (k.userName().equals(ROOT_OWNER)) {
            principal = root();
        } else {
            Optional<User> user = findUser(k.userName());
            if (user.isEmpty()) {
                return Optional.empty();
            }
            principal = user.get().principal(account);
        }
        SecretBytes secret = sealer.open(Base64.getDecoder().decode(k.sealedSecret()), accessKeyId);
        SigningCredential<Principal> credential = new SigningCredential<>(accessKeyId, secret, principal);
        credentialCache.put(accessKeyId, credential);
        return Optional.of(credential);
    }

    @Override
    public void close() {
        store.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private NewAccessKey newAccessKey(String owner) {
        String id = "AKIA" + randomChars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        SecretBytes secret = SecretBytes.takeOwnership(randomChars(40,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").getBytes(StandardCharsets.US_ASCII));
        StoredAccessKey stored = stored(id, owner, secret);
        store.put(ACCESS_KEYS, id, stored);
        return new NewAccessKey(new AccessKey(id, owner.isEmpty() ? null : owner, true, stored.createDate()), secret);
    }

    private StoredAccessKey stored(String id, String owner, SecretBytes secret) {
        return new StoredAccessKey(id, owner, true, clock.instant(),
                Base64.getEncoder().encodeToString(sealer.seal(secret, id)));
    }

    private List<AccessKey> accessKeysOf(String owner) {
        List<AccessKey> out = new ArrayList<>();
        for (Map.Entry<String, StoredAccessKey> e : store.scan(ACCESS_KEYS, "", null, Integer.MAX_VALUE)) {
            StoredAccessKey k = e.getValue();
            if (k.userName().equals(owner)) {
                out.add(new AccessKey(k.accessKeyId(), owner.isEmpty() ? null : owner, k.active(), k.createDate()));
            }
        }
        return out;
    }

    private String randomChars(int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String key(String userName) {
        return userName.toLowerCase(Locale.ROOT);
    }

    private static String policyKey(String userName, String policyName) {
        return key(userName) + "\u0000" + policyName;
    }

    private static void checkName(String value, String pattern, String field) {
        if (value == null || !value.matches(pattern)) {
            throw new IdentityException(IdentityException.Kind.VALIDATION_ERROR,
                    "1 validation error detected: Value at '" + field + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + pattern);
        }
    }

    private static IdentityException noSuchUser(String userName) {
        return new IdentityException(IdentityException.Kind.NO_SUCH_ENTITY, "The user with name " + userName + " cannot be found.");
    }
}

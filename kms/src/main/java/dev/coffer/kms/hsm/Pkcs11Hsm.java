package dev.coffer.kms.hsm;

import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HSM port over a PKCS#11 token, through the JDK's SunPKCS11 provider (tested with SoftHSM 2.6).
 *
 * <ul>
 *   <li>The slot is found by its token's label ({@link Pkcs11Slots}); the provider is configured
 *       inline, with a template that makes every secret and private key the provider creates
 *       {@code CKA_SENSITIVE} and not {@code CKA_EXTRACTABLE}.
 *   <li>Login: {@code KeyStore.getInstance("PKCS11", provider).load(null, pin)}. The PIN is used for
 *       that call only, then zeroised; it is never kept, logged or shown.
 *   <li>AES keys: {@code KeyGenerator("AES")} inside the token, stored with
 *       {@code KeyStore.setEntry(label, SecretKeyEntry, null)}, which copies them into persistent,
 *       private, labelled token objects (sensitive, always sensitive, never extractable). Imported
 *       material becomes a token object through the same call (sensitive, not extractable; of course
 *       not "never extractable": it existed outside).
 *   <li>Key derivation ({@link #deriveKey}) is {@code AES/ECB/NoPadding} inside the token.
 *   <li>AES-GCM runs inside the token with the caller's IVs ({@code AES/GCM/NoPadding}; not
 *       {@code AES_256/...}, which mis-sizes token keys). One {@link Cipher} per concurrent caller,
 *       from a pool; key objects are cached per label. A failed tag arrives from SoftHSM as
 *       CKR_GENERAL_ERROR, which SunPKCS11 turns into {@link AEADBadTagException}: it is reported as
 *       {@link HsmTagMismatchException}.
 *   <li>Signing: an EC P-256 key pair generated inside the token and stored as a
 *       {@code PrivateKeyEntry} whose certificate is self-signed inside the token
 *       ({@link SelfSignedCertificates}); {@code SHA256withECDSA} signs inside the token, and the
 *       public key in the certificate verifies (with the JDK's provider).
 *   <li>Randomness: the token's generator ({@code SecureRandom "PKCS11"}), else the JDK's.
 * </ul>
 *
 * <p>The key store's view of the token is loaded at login and updated by this instance's own writes;
 * when a label is not found, the view is reloaded once, so keys created by another process on the
 * same token are found too.
 *
 * <p>Thread-safe. Key creation and destruction are serialised. Several instances on one token in one
 * process share its login (PKCS#11 logins are per process): the last one closed logs out.
 */
public final class Pkcs11Hsm implements Hsm {
    private static final Logger log = LoggerFactory.getLogger(Pkcs11Hsm.class);

    private static final String GCM_TRANSFORMATION = "AES/GCM/NoPadding";
    private static final String BLOCK_TRANSFORMATION = "AES/ECB/NoPadding";
    private static final int GCM_TAG_SIZE_BITS = HsmArguments.GCM_TAG_SIZE_BYTES * 8;
    private static final int AES_256_KEY_SIZE_BYTES = 32;
    private static final AtomicInteger PROVIDER_NUMBER = new AtomicInteger();
    /**
     * Open instances per token (library and slot) in this process, so that only the last
     * {@link #close} logs out: PKCS#11 logins belong to the process, not to a provider. Guarded by
     * itself, which is held from login to registration and from unregistration to logout.
     */
    private static final Map<String, Integer> OPEN_INSTANCES = new HashMap<>();

    /** Makes every secret and private key the provider creates or imports sensitive and unextractable. */
    private static final String KEY_ATTRIBUTES_TEMPLATE = """
            attributes(*, CKO_SECRET_KEY, *) = {
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
            }
            attributes(*, CKO_PRIVATE_KEY, *) = {
              CKA_SENSITIVE = true
              CKA_EXTRACTABLE = false
            }
            """;

    private final Path library;
    private final String tokenLabel;
    private final long slotId;
    private final String tokenId;
    private final Provider provider;
    private final KeyStore keyStore;
    private final SecureRandom random;
    private final boolean tokenRandom;
    private final Pool<Cipher> ciphers;
    private final Pool<Cipher> blockCiphers;
    private final ConcurrentHashMap<String, TokenKey> keys = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private Pkcs11Hsm(Path library, Pkcs11Slots.Token token, Provider provider, KeyStore keyStore) {
        this.library = library;
        this.tokenLabel = token.label();
        this.slotId = token.slotId();
        this.tokenId = tokenId(library, token);
        this.provider = provider;
        this.keyStore = keyStore;
        SecureRandom tokenGenerator;
        try {
            tokenGenerator = SecureRandom.getInstance("PKCS11", provider);
        } catch (NoSuchAlgorithmException e) {
            tokenGenerator = null; // the token has no RNG (no CKF_RNG)
        }
        this.tokenRandom = tokenGenerator != null;
        this.random = tokenRandom ? tokenGenerator : new SecureRandom();
        this.ciphers = new Pool<>(() -> newCipher(GCM_TRANSFORMATION, provider));
        this.blockCiphers = new Pool<>(() -> newCipher(BLOCK_TRANSFORMATION, provider));
    }

    /**
     * Logs in to the token labelled {@code tokenLabel} of the PKCS#11 module {@code library}, with the
     * user PIN read from {@code pinFile} (UTF-8; trailing line breaks are ignored).
     *
     * @throws HsmException if the module, the token or the PIN file cannot be used, the login fails,
     *     or the token lacks AES-GCM, AES-ECB, AES key generation or EC P-256 signing. Messages never carry the PIN.
     */
    public static Pkcs11Hsm open(Path library, String tokenLabel, Path pinFile) throws HsmException {
        Objects.requireNonNull(pinFile, "pinFile");
        char[] pin = readPin(pinFile);
        try {
            return open(library, tokenLabel, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** As {@link #open(Path, String, Path)} with the PIN itself; the caller zeroises {@code pin} afterwards. */
    public static Pkcs11Hsm open(Path library, String tokenLabel, char[] pin) throws HsmException {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(tokenLabel, "tokenLabel");
        Objects.requireNonNull(pin, "pin");
        Path module = checkLibrary(library);
        checkTokenLabel(tokenLabel);
        Pkcs11Slots.Token token;
        Provider provider;
        synchronized (Pkcs11Slots.MODULE_LOCK) {
            token = Pkcs11Slots.find(module, tokenLabel);
            provider = configure(module, token);
        }
        Pkcs11Hsm hsm;
        synchronized (OPEN_INSTANCES) {
            KeyStore keyStore = login(provider, pin, tokenLabel);
            try {
                checkMechanisms(provider, tokenLabel);
            } catch (HsmException e) {
                if (!OPEN_INSTANCES.containsKey(tokenId(module, token))) {
                    logout(provider, "token '" + tokenLabel + "'");
                }
                throw e;
            }
            hsm = new Pkcs11Hsm(module, token, provider, keyStore);
            OPEN_INSTANCES.merge(hsm.tokenId, 1, Integer::sum);
        }
        log.info("logged in to {}", hsm.description());
        return hsm;
    }

    private static String tokenId(Path module, Pkcs11Slots.Token token) {
        return module + "#" + token.slotId();
    }

    private static void logout(Provider provider, String what) {
        try {
            ((AuthProvider) provider).logout();
        } catch (LoginException | ProviderException e) {
            log.warn("logging out of {} failed: {}", what, reason(e));
        }
    }

    @Override
    public void generateAesKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        synchronized (writeLock) {
            try {
                if (knownLabel(label)) {
                    throw new IllegalStateException("a key labelled '" + label + "' already exists on " + description());
                }
                KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
                generator.init(AES_256_KEY_SIZE_BYTES * 8);
                SecretKey sessionKey = generator.generateKey();
                keyStore.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
            } catch (GeneralSecurityException | ProviderException e) {
                throw new UncheckedHsmException(failure("generating AES key '" + label + "'", e));
            }
        }
    }

    @Override
    public void importAesKey(String label, SecretBytes material) {
        HsmArguments.checkLabel(label);
        Objects.requireNonNull(material, "material");
        if (material.size() != AES_256_KEY_SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "AES-256 key material must be " + AES_256_KEY_SIZE_BYTES + " bytes, got " + material.size());
        }
        ensureOpen();
        synchronized (writeLock) {
            // AesKey, not SecretKeySpec: destroyable, and equal only to itself, so SunPKCS11's cache of
            // converted keys can never hand back an earlier import of the same bytes.
            AesKey key = AesKey.of(material);
            try {
                if (knownLabel(label)) {
                    throw new IllegalStateException("a key labelled '" + label + "' already exists on " + description());
                }
                keyStore.setEntry(label, new KeyStore.SecretKeyEntry(key), null);
            } catch (GeneralSecurityException | ProviderException e) {
                throw new UncheckedHsmException(failure("importing AES key '" + label + "'", e));
            } finally {
                key.destroy();
            }
        }
    }

    @Override
    public boolean containsKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        try {
            return keys.containsKey(label) || aliasOnToken(label);
        } catch (HsmException e) {
            throw new UncheckedHsmException(e);
        }
    }

    @Override
    public void destroyKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        synchronized (writeLock) {
            try {
                if (aliasOnToken(label)) {
                    keyStore.deleteEntry(label);
                }
            } catch (KeyStoreException | ProviderException e) {
                throw new UncheckedHsmException(failure("destroying key '" + label + "'", e));
            } catch (HsmException e) {
                throw new UncheckedHsmException(e);
            } finally {
                keys.remove(label);
            }
        }
    }

    @Override
    public byte[] seal(String label, byte[] iv, byte[] aad, byte[] plaintext) throws HsmException {
        HsmArguments.checkGcm(label, iv, aad, plaintext);
        ensureOpen();
        AesTokenKey key = aesKey(label);
        Cipher cipher = ciphers.borrow();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.key, new GCMParameterSpec(GCM_TAG_SIZE_BITS, iv));
            if (aad.length > 0) {
                cipher.updateAAD(aad);
            }
            byte[] sealed = cipher.doFinal(plaintext);
            ciphers.giveBack(cipher);
            return sealed;
        } catch (GeneralSecurityException | ProviderException e) {
            keys.remove(label, key); // a stale handle (key destroyed elsewhere) is looked up again next time
            throw failure("AES-GCM seal under key '" + label + "'", e);
        }
    }

    @Override
    public byte[] open(String label, byte[] iv, byte[] aad, byte[] ciphertextAndTag) throws HsmException {
        HsmArguments.checkGcm(label, iv, aad, ciphertextAndTag);
        ensureOpen();
        AesTokenKey key = aesKey(label);
        if (ciphertextAndTag.length < HsmArguments.GCM_TAG_SIZE_BYTES) {
            throw HsmTagMismatchException.underKey(label);
        }
        Cipher cipher = ciphers.borrow();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.key, new GCMParameterSpec(GCM_TAG_SIZE_BITS, iv));
            if (aad.length > 0) {
                cipher.updateAAD(aad);
            }
            byte[] plaintext = cipher.doFinal(ciphertextAndTag);
            ciphers.giveBack(cipher);
            return plaintext;
        } catch (AEADBadTagException e) {
            // SoftHSM reports a bad tag as CKR_GENERAL_ERROR; SunPKCS11 maps that (and
            // CKR_ENCRYPTED_DATA_INVALID) here. The cipher is dropped, not pooled, after any failure.
            throw HsmTagMismatchException.underKey(label);
        } catch (GeneralSecurityException | ProviderException e) {
            keys.remove(label, key);
            throw failure("AES-GCM open under key '" + label + "'", e);
        }
    }

    @Override
    public SecretBytes deriveKey(String label, byte[] input) throws HsmException {
        HsmArguments.checkDerivation(label, input);
        ensureOpen();
        AesTokenKey key = aesKey(label);
        Cipher cipher = blockCiphers.borrow();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.key);
            SecretBytes derived = SecretBytes.takeOwnership(cipher.doFinal(input));
            blockCiphers.giveBack(cipher);
            return derived;
        } catch (GeneralSecurityException | ProviderException e) {
            keys.remove(label, key);
            throw failure("key derivation under key '" + label + "'", e);
        }
    }

    @Override
    public byte[] random(int length) throws HsmException {
        HsmArguments.checkRandomLength(length);
        ensureOpen();
        byte[] bytes = new byte[length];
        try {
            random.nextBytes(bytes);
        } catch (ProviderException e) {
            throw failure("generating random bytes", e);
        }
        return bytes;
    }

    @Override
    public byte[] sign(String signingKeyLabel, byte[] data) throws HsmException {
        Objects.requireNonNull(data, "data");
        SigningTokenKey key = signingKey(signingKeyLabel, true);
        try {
            Signature signer = Signature.getInstance(EcP256.SIGNATURE_ALGORITHM, provider);
            signer.initSign(key.privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            keys.remove(signingKeyLabel, key);
            throw failure("signing with key '" + signingKeyLabel + "'", e);
        }
    }

    @Override
    public boolean verify(String signingKeyLabel, byte[] data, byte[] signature) throws HsmException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signature, "signature");
        return EcP256.verify(signingKey(signingKeyLabel, false).publicKey, data, signature);
    }

    @Override
    public PublicKey signingPublicKey(String signingKeyLabel) throws HsmException {
        return signingKey(signingKeyLabel, true).publicKey;
    }

    @Override
    public String signatureAlgorithm() {
        return EcP256.SIGNATURE_ALGORITHM;
    }

    @Override
    public String description() {
        return "PKCS#11 token '" + tokenLabel + "' (slot " + slotId + ") through " + library
                + (tokenRandom ? "" : "; random bytes from the JDK (the token has no generator)");
    }

    @Override
    public String toString() {
        return description();
    }

    /** Forgets cached key objects and, if no other instance in this process uses the token, logs out. Idempotent. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            keys.clear();
            ciphers.clear();
            blockCiphers.clear();
            synchronized (OPEN_INSTANCES) {
                int stillOpen = OPEN_INSTANCES.merge(tokenId, -1, Integer::sum);
                if (stillOpen <= 0) {
                    OPEN_INSTANCES.remove(tokenId);
                    logout(provider, description());
                }
            }
        }
    }

    // ---- keys

    /** A key object of the token, as cached per label. */
    private sealed interface TokenKey permits AesTokenKey, SigningTokenKey {}

    private record AesTokenKey(SecretKey key) implements TokenKey {}

    private record SigningTokenKey(PrivateKey privateKey, PublicKey publicKey) implements TokenKey {}

    private AesTokenKey aesKey(String label) throws HsmException {
        TokenKey key = cached(label);
        if (key == null) {
            throw new HsmException("no key labelled '" + label + "' on " + description());
        }
        if (key instanceof AesTokenKey aes) {
            return aes;
        }
        throw new HsmException("key '" + label + "' is a signing key, not an AES key");
    }

    private SigningTokenKey signingKey(String label, boolean createIfAbsent) throws HsmException {
        HsmArguments.checkLabel(label);
        ensureOpen();
        TokenKey key = cached(label);
        if (key == null) {
            if (!createIfAbsent) {
                throw new HsmException("no signing key labelled '" + label + "' on " + description());
            }
            key = createSigningKey(label);
        }
        if (key instanceof SigningTokenKey signing) {
            return signing;
        }
        throw new HsmException("key '" + label + "' is an AES key, not a signing key");
    }

    private TokenKey createSigningKey(String label) throws HsmException {
        synchronized (writeLock) {
            TokenKey existing = cached(label);
            if (existing != null) {
                return existing;
            }
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
                generator.initialize(EcP256.CURVE);
                KeyPair sessionPair = generator.generateKeyPair();
                X509Certificate certificate = SelfSignedCertificates.create(sessionPair, provider, label, random);
                keyStore.setEntry(label,
                        new KeyStore.PrivateKeyEntry(sessionPair.getPrivate(), new Certificate[] {certificate}), null);
            } catch (GeneralSecurityException | ProviderException e) {
                throw failure("creating signing key '" + label + "'", e);
            }
            TokenKey stored = cached(label);
            if (stored == null) {
                throw new HsmException("signing key '" + label + "' was stored but is not found on " + description());
            }
            return stored;
        }
    }

    /** The cached key object, else the token's (cached from now on); null if the token has none. */
    private TokenKey cached(String label) throws HsmException {
        TokenKey key = keys.get(label);
        if (key != null) {
            return key;
        }
        key = fromToken(label);
        if (key == null) {
            return null;
        }
        TokenKey raced = keys.putIfAbsent(label, key);
        return raced != null ? raced : key;
    }

    private TokenKey fromToken(String label) throws HsmException {
        try {
            if (!aliasOnToken(label)) {
                return null;
            }
            Key key = keyStore.getKey(label, null);
            if (key instanceof SecretKey secret && "AES".equalsIgnoreCase(secret.getAlgorithm())) {
                return new AesTokenKey(secret);
            }
            if (key instanceof PrivateKey privateKey && "EC".equalsIgnoreCase(privateKey.getAlgorithm())) {
                Certificate certificate = keyStore.getCertificate(label);
                if (certificate == null) {
                    throw new HsmException("signing key '" + label + "' has no certificate on " + description());
                }
                return new SigningTokenKey(privateKey, certificate.getPublicKey());
            }
            throw new HsmException("token object '" + label + "' is "
                    + (key == null ? "not a key" : "a " + key.getAlgorithm() + " key") + ", which this HSM does not use");
        } catch (GeneralSecurityException | ProviderException e) {
            throw failure("reading key '" + label + "'", e);
        }
    }

    /**
     * Whether this instance's view of the token has the label, without reloading it. Enough to refuse
     * a duplicate from this process: every reload costs a pass over all objects of the token (see
     * {@link #aliasOnToken}), and creating a key already costs one (SunPKCS11's {@code setEntry}).
     */
    private boolean knownLabel(String label) throws KeyStoreException {
        return keys.containsKey(label) || keyStore.containsAlias(label);
    }

    /**
     * Whether the token has an object of this label, reloading the key store's view once if it does
     * not know it: the key may have been created by another process since this one logged in. The
     * reload re-reads the labels of every object on the token, so it is kept to misses.
     */
    private boolean aliasOnToken(String label) throws HsmException {
        try {
            if (keyStore.containsAlias(label)) {
                return true;
            }
            keyStore.load(null, null); // already logged in: this only re-reads the token's labels
            return keyStore.containsAlias(label);
        } catch (GeneralSecurityException | IOException | ProviderException e) {
            throw failure("looking up label '" + label + "'", e);
        }
    }

    // ---- open

    private static Path checkLibrary(Path library) throws HsmException {
        Path module = library.toAbsolutePath().normalize();
        String text = module.toString();
        if (text.indexOf('"') >= 0 || text.indexOf('$') >= 0 || text.indexOf('\n') >= 0) {
            // the SunPKCS11 configuration syntax cannot carry these (quotes, ${property} expansion)
            throw new HsmException("PKCS#11 library path " + text + " contains a quote, '$' or line break");
        }
        if (!Files.isRegularFile(module)) {
            throw new HsmException("PKCS#11 library " + module + " does not exist or is not a file");
        }
        return module;
    }

    private static void checkTokenLabel(String tokenLabel) {
        int size = tokenLabel.getBytes(StandardCharsets.UTF_8).length;
        if (tokenLabel.isBlank() || size > 32 || !tokenLabel.equals(tokenLabel.strip())) {
            throw new IllegalArgumentException("a PKCS#11 token label is 1..32 bytes without leading or trailing blanks");
        }
    }

    private static Provider configure(Path library, Pkcs11Slots.Token token) throws HsmException {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new HsmException("the JDK's SunPKCS11 provider (module jdk.crypto.cryptoki) is missing");
        }
        // SunPKCS11 takes the slot as an int; the list position is the fallback for larger ids.
        String slot = token.slotId() <= Integer.MAX_VALUE
                ? "slot = " + token.slotId()
                : "slotListIndex = " + token.slotListIndex();
        String config = "--name = CofferHsm" + PROVIDER_NUMBER.incrementAndGet() + "\n"
                + "library = \"" + library + "\"\n"
                + slot + "\n"
                + KEY_ATTRIBUTES_TEMPLATE;
        try {
            return base.configure(config);
        } catch (ProviderException | IllegalArgumentException e) {
            throw openFailure("configuring SunPKCS11 for token '" + token.label() + "' through " + library, e);
        }
    }

    private static KeyStore login(Provider provider, char[] pin, String tokenLabel) throws HsmException {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            return keyStore;
        } catch (IOException e) {
            String why = hasCause(e, FailedLoginException.class) ? "wrong PIN (CKR_PIN_INCORRECT)" : reason(e);
            throw new HsmException("login to PKCS#11 token '" + tokenLabel + "' failed: " + why);
        } catch (GeneralSecurityException | ProviderException e) {
            throw openFailure("login to PKCS#11 token '" + tokenLabel + "'", e);
        }
    }

    private static void checkMechanisms(Provider provider, String tokenLabel) throws HsmException {
        String needed = null;
        try {
            needed = GCM_TRANSFORMATION;
            Cipher.getInstance(GCM_TRANSFORMATION, provider);
            needed = BLOCK_TRANSFORMATION;
            Cipher.getInstance(BLOCK_TRANSFORMATION, provider);
            needed = "AES key generation";
            KeyGenerator.getInstance("AES", provider);
            needed = "EC key pair generation";
            KeyPairGenerator.getInstance("EC", provider);
            needed = EcP256.SIGNATURE_ALGORITHM;
            Signature.getInstance(EcP256.SIGNATURE_ALGORITHM, provider);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new HsmException("PKCS#11 token '" + tokenLabel + "' does not offer " + needed);
        }
    }

    private static Cipher newCipher(String transformation, Provider provider) {
        try {
            return Cipher.getInstance(transformation, provider);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException(transformation + " vanished from " + provider.getName(), e);
        }
    }

    private static char[] readPin(Path pinFile) throws HsmException {
        byte[] bytes;
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                var mode = Files.getPosixFilePermissions(pinFile);
                if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                    log.warn("the PIN file {} is readable by group or others; make it owner-only (chmod 600)", pinFile);
                }
            }
            bytes = Files.readAllBytes(pinFile);
        } catch (IOException e) {
            throw new HsmException("cannot read the PIN file " + pinFile + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new HsmException("the PIN file " + pinFile + " is empty");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
            char[] pin = new char[chars.remaining()];
            chars.get(pin);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return pin;
        } catch (CharacterCodingException e) {
            throw new HsmException("the PIN file " + pinFile + " is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    // ---- failures

    private HsmException failure(String what, Throwable e) {
        return new HsmException(what + " failed on " + description() + ": " + reason(e), e);
    }

    private static HsmException openFailure(String what, Exception e) {
        return new HsmException(what + " failed: " + reason(e), e);
    }

    /**
     * The exception and its causes in one line: SunPKCS11 puts the PKCS#11 return code (CKR_...) in
     * the innermost message, which is what an operator needs. None of them carries key bytes or the
     * PIN, which are never passed to an exception constructor.
     */
    private static String reason(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 500; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description() + " is closed");
        }
    }
}

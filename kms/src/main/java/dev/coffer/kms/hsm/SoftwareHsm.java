package dev.coffer.kms.hsm;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Cipher;
import javax.security.auth.DestroyFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded development HSM: a sealed key store in a local directory. It keeps the contract of
 * {@link Hsm} (no key leaves through the API) but not its promise: the master key that seals every
 * key sits in a file next to them, so whoever can read the directory can read every key. It exists
 * so that {@code coffer serve} works out of the box; {@link #startupWarning()} says so loudly.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;dir&gt;/            0700
 *   master.key      0600  32 random bytes, created on first start
 *   lock                  held (flock) while an instance is open: one process per directory
 *   keys/           0700  one file per label: &lt;hex SHA-256 of the label&gt;.key (format v1, see
 *                         {@link SoftwareHsmKeyFile} and docs/HSM.md)
 *   tmp/            0700  files being written; leftovers of a crash are deleted at open
 * </pre>
 *
 * <h2>Why one file per key, not an append-only log</h2>
 * Start-up must not depend on the number of keys (10,000 keys with 5 versions each must open in
 * well under a second): with one file per key, opening reads only the master key, and a key's file
 * is read and opened on its first use, then cached. An append-only log would have to be scanned at
 * start to build its index, needs tombstones and compaction for destroyed keys, and needs torn-tail
 * recovery; a file per key gets atomicity from rename and destruction from unlink. Each write is:
 * temporary file (0600) in {@code tmp/}, fsync, rename into {@code keys/}, fsync of {@code keys/}.
 * The cost is two fsyncs per created key (about 1.3 ms here), which key creation can afford.
 *
 * <p>A key file that was altered, truncated, renamed to another label's name or sealed under another
 * master key fails with an {@link HsmException} that names the label: never a wrong key, and never an
 * {@link HsmTagMismatchException}, which is reserved for the caller's ciphertext.
 *
 * <p>Thread-safe. Creating and destroying keys is serialised; sealing and opening are not.
 */
public final class SoftwareHsm implements Hsm {
    private static final Logger log = LoggerFactory.getLogger(SoftwareHsm.class);

    static final String MASTER_KEY_FILE_NAME = "master.key";
    static final String LOCK_FILE_NAME = "lock";
    static final String KEYS_DIRECTORY_NAME = "keys";
    static final String TEMP_DIRECTORY_NAME = "tmp";
    static final String KEY_FILE_SUFFIX = ".key";
    private static final int AES_256_KEY_SIZE_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path directory;
    private final Path keysDirectory;
    private final Path tempDirectory;
    private final boolean syncWrites;
    private final FileChannel lockChannel;
    private final AesKey masterKey;
    private final SecureRandom random;
    private final ConcurrentHashMap<String, LoadedKey> cache = new ConcurrentHashMap<>();
    private final Pool<AesGcm> ciphers = new Pool<>(AesGcm::new);
    private final Pool<Cipher> blockCiphers = new Pool<>(SoftwareHsm::newBlockCipher);
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private SoftwareHsm(Path directory, boolean syncWrites, FileChannel lockChannel, AesKey masterKey, SecureRandom random) {
        this.directory = directory;
        this.keysDirectory = directory.resolve(KEYS_DIRECTORY_NAME);
        this.tempDirectory = directory.resolve(TEMP_DIRECTORY_NAME);
        this.syncWrites = syncWrites;
        this.lockChannel = lockChannel;
        this.masterKey = masterKey;
        this.random = random;
    }

    /**
     * Opens the software HSM in {@code directory} (e.g. {@code <data-dir>/hsm}), creating it and its
     * master key on first start. Reads no key file: keys are opened on first use.
     *
     * @throws HsmException if the directory is in use by another instance, the master key file is
     *     missing while key files exist, is not 32 bytes, or is readable by group or others
     */
    public static SoftwareHsm open(Path directory) throws HsmException {
        return open(directory, true);
    }

    /**
     * As {@link #open(Path)}; {@code syncWrites = false} skips the fsyncs of new key files. Only for
     * tests that create thousands of keys: a crash may then lose keys that were reported created.
     */
    static SoftwareHsm open(Path directory, boolean syncWrites) throws HsmException {
        Path dir = directory.toAbsolutePath().normalize();
        FileChannel lockChannel = null;
        try {
            createOwnerOnlyDirectory(dir);
            lockChannel = lock(dir);
            Path keys = dir.resolve(KEYS_DIRECTORY_NAME);
            Path temp = dir.resolve(TEMP_DIRECTORY_NAME);
            createOwnerOnlyDirectory(keys);
            createOwnerOnlyDirectory(temp);
            deleteLeftovers(temp);
            SecureRandom random = new SecureRandom();
            AesKey masterKey = loadOrCreateMasterKey(dir, keys, temp, random);
            log.info("opened the software HSM (development only) at {}", dir);
            return new SoftwareHsm(dir, syncWrites, lockChannel, masterKey, random);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new HsmException("software HSM at " + dir + ": " + e, e);
        } catch (HsmException | RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /** The warning the gateway prints at start-up whenever this HSM is in use: lines of at most 80 characters. */
    public static String startupWarning() {
        return String.join("\n",
                "WARNING: KMS master keys are in the SOFTWARE HSM (development only).",
                "They are stored in the data directory, sealed under a master key stored right",
                "beside them: anyone who can read the data directory can decrypt every object",
                "and volume. Keep no data that matters under it; use --hsm pkcs11 with an HSM.");
    }

    @Override
    public void generateAesKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        byte[] material = new byte[AES_256_KEY_SIZE_BYTES];
        try {
            random.nextBytes(material);
            storeNewKey(label, SoftwareHsmKeyFile.Kind.AES_256, material, aesEntry(material));
        } catch (HsmException e) {
            throw new UncheckedHsmException(e);
        } finally {
            Arrays.fill(material, (byte) 0);
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
        byte[] raw = material.toByteArray(SecretAccess.explicitly());
        try {
            storeNewKey(label, SoftwareHsmKeyFile.Kind.AES_256, raw, aesEntry(raw));
        } catch (HsmException e) {
            throw new UncheckedHsmException(e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public boolean containsKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        return cache.containsKey(label) || Files.exists(keyPath(label));
    }

    @Override
    public void destroyKey(String label) {
        HsmArguments.checkLabel(label);
        ensureOpen();
        synchronized (writeLock) {
            try {
                // Unlink first, then drop the cached copy: a concurrent first use either loaded the
                // key before the unlink (and its cache entry is removed below) or finds no file.
                if (Files.deleteIfExists(keyPath(label)) && syncWrites) {
                    fsyncDirectory(keysDirectory);
                }
            } catch (IOException e) {
                throw new UncheckedHsmException(
                        new HsmException("cannot delete the key file of label '" + label + "': " + e, e));
            }
            LoadedKey removed = cache.remove(label);
            if (removed != null) {
                removed.destroy();
            }
        }
    }

    @Override
    public byte[] seal(String label, byte[] iv, byte[] aad, byte[] plaintext) throws HsmException {
        checkAesArguments(label, iv, aad, plaintext);
        AesKey key = aesKey(label);
        byte[] out = new byte[plaintext.length + AesGcm.TAG_SIZE_BYTES];
        AesGcm gcm = ciphers.borrow();
        try {
            gcm.seal(key, iv, aad, plaintext, 0, plaintext.length, out, 0);
        } catch (IllegalStateException e) {
            throw new HsmException("AES-GCM seal with key '" + label + "' failed: " + e.getMessage(), e);
        }
        ciphers.giveBack(gcm);
        return out;
    }

    @Override
    public byte[] open(String label, byte[] iv, byte[] aad, byte[] ciphertextAndTag) throws HsmException {
        checkAesArguments(label, iv, aad, ciphertextAndTag);
        AesKey key = aesKey(label);
        if (ciphertextAndTag.length < AesGcm.TAG_SIZE_BYTES) {
            throw HsmTagMismatchException.underKey(label);
        }
        byte[] out = new byte[ciphertextAndTag.length - AesGcm.TAG_SIZE_BYTES];
        AesGcm gcm = ciphers.borrow();
        try {
            gcm.open(key, iv, aad, ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        } catch (CiphertextRejectedException e) {
            ciphers.giveBack(gcm);
            throw HsmTagMismatchException.underKey(label);
        } catch (IllegalStateException e) {
            throw new HsmException("AES-GCM open with key '" + label + "' failed: " + e.getMessage(), e);
        }
        ciphers.giveBack(gcm);
        return out;
    }

    @Override
    public SecretBytes deriveKey(String label, byte[] input) throws HsmException {
        HsmArguments.checkDerivation(label, input);
        ensureOpen();
        AesKey key = aesKey(label);
        Cipher cipher = blockCiphers.borrow();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key);
            SecretBytes derived = SecretBytes.takeOwnership(cipher.doFinal(input));
            blockCiphers.giveBack(cipher);
            return derived;
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new HsmException("key derivation under key '" + label + "' failed: " + e.getMessage(), e);
        }
    }

    private static Cipher newBlockCipher() {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is missing from this JDK", e);
        }
    }

    @Override
    public byte[] random(int length) {
        HsmArguments.checkRandomLength(length);
        ensureOpen();
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Override
    public byte[] sign(String signingKeyLabel, byte[] data) throws HsmException {
        Objects.requireNonNull(data, "data");
        SigningKeyEntry key = signingKey(signingKeyLabel, true);
        try {
            Signature signer = Signature.getInstance(EcP256.SIGNATURE_ALGORITHM);
            signer.initSign(key.privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new HsmException("signing with key '" + signingKeyLabel + "' failed: " + e.getMessage(), e);
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
        return "software HSM (development only) at " + directory;
    }

    @Override
    public String toString() {
        return description();
    }

    /** Destroys the cached keys and the master key in memory and releases the directory. Idempotent. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            cache.values().forEach(LoadedKey::destroy);
            cache.clear();
            ciphers.clear();
            blockCiphers.clear();
            masterKey.destroy();
            closeQuietly(lockChannel);
        }
    }

    // ---- keys in memory

    /** A key opened from its file and cached until destroyed or closed. */
    private sealed interface LoadedKey permits AesKeyEntry, SigningKeyEntry {
        void destroy();
    }

    private static final class AesKeyEntry implements LoadedKey {
        final AesKey key;

        AesKeyEntry(AesKey key) {
            this.key = key;
        }

        @Override
        public void destroy() {
            key.destroy();
        }

        @Override
        public String toString() {
            return "AesKeyEntry";
        }
    }

    private static final class SigningKeyEntry implements LoadedKey {
        final PrivateKey privateKey;
        final PublicKey publicKey;

        SigningKeyEntry(PrivateKey privateKey, PublicKey publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        @Override
        public void destroy() {
            try {
                privateKey.destroy();
            } catch (DestroyFailedException e) {
                // The JDK's EC private keys cannot be destroyed; they go with the garbage collector.
            }
        }

        @Override
        public String toString() {
            return "SigningKeyEntry";
        }
    }

    private static AesKeyEntry aesEntry(byte[] material) {
        try (SecretBytes secret = SecretBytes.copyOf(material)) {
            return new AesKeyEntry(AesKey.of(secret));
        }
    }

    private AesKey aesKey(String label) throws HsmException {
        LoadedKey key = loaded(label);
        if (key == null) {
            throw new HsmException("no key labelled '" + label + "' in the " + description());
        }
        if (key instanceof AesKeyEntry aes) {
            return aes.key;
        }
        throw new HsmException("key '" + label + "' is a signing key, not an AES key");
    }

    private SigningKeyEntry signingKey(String label, boolean createIfAbsent) throws HsmException {
        HsmArguments.checkLabel(label);
        ensureOpen();
        LoadedKey key = loaded(label);
        if (key == null) {
            if (!createIfAbsent) {
                throw new HsmException("no signing key labelled '" + label + "' in the " + description());
            }
            key = createSigningKey(label);
        }
        if (key instanceof SigningKeyEntry signing) {
            return signing;
        }
        throw new HsmException("key '" + label + "' is an AES key, not a signing key");
    }

    private LoadedKey createSigningKey(String label) throws HsmException {
        synchronized (writeLock) {
            LoadedKey existing = loaded(label);
            if (existing != null) {
                return existing;
            }
            KeyPair pair;
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(EcP256.CURVE, random);
                pair = generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new HsmException("EC P-256 key generation is missing from this JDK", e);
            }
            byte[] privateKey = pair.getPrivate().getEncoded();
            byte[] publicKey = pair.getPublic().getEncoded();
            byte[] material = new byte[2 + privateKey.length + publicKey.length];
            try {
                ByteBuffer.wrap(material).putShort((short) privateKey.length).put(privateKey).put(publicKey);
                SigningKeyEntry entry = new SigningKeyEntry(pair.getPrivate(), pair.getPublic());
                storeNewKey(label, SoftwareHsmKeyFile.Kind.EC_P256_SIGNING, material, entry);
                return entry;
            } finally {
                Arrays.fill(privateKey, (byte) 0);
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    /** The cached key, else its file opened and cached; null if there is no such file. */
    private LoadedKey loaded(String label) throws HsmException {
        LoadedKey key = cache.get(label);
        if (key != null) {
            return key;
        }
        try {
            // computeIfAbsent makes a concurrent destroyKey wait for this load and then remove it.
            return cache.computeIfAbsent(label, l -> {
                try {
                    return readKeyFile(l);
                } catch (HsmException e) {
                    throw new LoadFailure(e);
                }
            });
        } catch (LoadFailure f) {
            throw f.failure;
        }
    }

    /** Carries a checked failure out of {@code computeIfAbsent}. */
    private static final class LoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient HsmException failure;

        LoadFailure(HsmException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private LoadedKey readKeyFile(String label) throws HsmException {
        byte[] file;
        try {
            file = Files.readAllBytes(keyPath(label));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new HsmException("cannot read the key file of label '" + label + "': " + e, e);
        }
        AesGcm gcm = ciphers.borrow();
        SoftwareHsmKeyFile.Opened opened = SoftwareHsmKeyFile.open(gcm, masterKey, label, file);
        ciphers.giveBack(gcm);
        byte[] material = opened.material();
        try {
            return switch (opened.kind()) {
                case AES_256 -> {
                    if (material.length != AES_256_KEY_SIZE_BYTES) {
                        throw unusable(label, "an AES-256 key of " + material.length + " bytes");
                    }
                    yield aesEntry(material);
                }
                case EC_P256_SIGNING -> decodeSigningKey(label, material);
            };
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private static SigningKeyEntry decodeSigningKey(String label, byte[] material) throws HsmException {
        if (material.length < 2) {
            throw unusable(label, "a truncated signing key");
        }
        ByteBuffer in = ByteBuffer.wrap(material);
        int privateKeyLength = Short.toUnsignedInt(in.getShort());
        if (privateKeyLength > in.remaining()) {
            throw unusable(label, "a signing key with an impossible length");
        }
        byte[] privateKey = new byte[privateKeyLength];
        in.get(privateKey);
        byte[] publicKey = new byte[in.remaining()];
        in.get(publicKey);
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new SigningKeyEntry(
                    factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey)),
                    factory.generatePublic(new X509EncodedKeySpec(publicKey)));
        } catch (GeneralSecurityException e) {
            throw unusable(label, "a signing key the JDK cannot decode (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    private static HsmException unusable(String label, String what) {
        return new HsmException("software HSM key file for label '" + label + "' is unusable: it holds " + what);
    }

    private void storeNewKey(String label, SoftwareHsmKeyFile.Kind kind, byte[] material, LoadedKey entry)
            throws HsmException {
        synchronized (writeLock) {
            ensureOpen();
            Path path = keyPath(label);
            if (Files.exists(path)) {
                entry.destroy();
                throw new IllegalStateException("a key labelled '" + label + "' already exists");
            }
            byte[] nonce = new byte[AesGcm.NONCE_SIZE_BYTES];
            random.nextBytes(nonce);
            AesGcm gcm = ciphers.borrow();
            byte[] file = SoftwareHsmKeyFile.seal(gcm, masterKey, label, kind, nonce, material);
            ciphers.giveBack(gcm);
            try {
                writeAtomically(tempDirectory, path, file, syncWrites);
            } catch (IOException e) {
                entry.destroy();
                throw new HsmException("cannot write the key file of label '" + label + "': " + e, e);
            }
            cache.put(label, entry);
        }
    }

    // ---- files

    /** Hex SHA-256 of the label: fixed length, any label, no path tricks; the label itself is the AAD. */
    private Path keyPath(String label) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
            return keysDirectory.resolve(HexFormat.of().formatHex(digest) + KEY_FILE_SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static AesKey loadOrCreateMasterKey(Path dir, Path keys, Path temp, SecureRandom random)
            throws IOException, HsmException {
        Path path = dir.resolve(MASTER_KEY_FILE_NAME);
        if (Files.exists(path)) {
            if (supportsPosix()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    throw new HsmException("master key file " + path + " is open to group or others (mode "
                            + PosixFilePermissions.toString(mode) + "); make it owner-only (chmod 600) first");
                }
            }
            byte[] bytes = Files.readAllBytes(path);
            try (SecretBytes secret = SecretBytes.takeOwnership(bytes)) {
                if (secret.size() != AesKey.SIZE_BYTES) {
                    throw new HsmException("master key file " + path + " holds " + secret.size()
                            + " bytes, expected " + AesKey.SIZE_BYTES);
                }
                return AesKey.of(secret);
            }
        }
        try (DirectoryStream<Path> existing = Files.newDirectoryStream(keys)) {
            if (existing.iterator().hasNext()) {
                throw new HsmException("master key file " + path + " is missing but " + keys
                        + " holds key files: restore the master key; a new one could not open them");
            }
        }
        try (SecretBytes secret = SecretBytes.random(AesKey.SIZE_BYTES, random)) {
            // Always synced, even when key files are not: without it no key file could ever be opened.
            writeAtomically(temp, path, secret.unsafeView(SecretAccess.explicitly()), true);
            log.info("created a new software HSM master key at {}", path);
            return AesKey.of(secret);
        }
    }

    private static void writeAtomically(Path tempDir, Path target, byte[] content, boolean sync) throws IOException {
        Path temp = tempDir.resolve(target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(temp, options, ownerOnly(OWNER_ONLY_FILE))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        if (sync) {
            fsyncDirectory(target.getParent());
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return; // an existing directory's mode is the operator's choice, as for the data directory
        }
        Files.createDirectories(dir, ownerOnly(OWNER_ONLY_DIRECTORY));
        if (supportsPosix()) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY); // exact, whatever the umask
        }
    }

    private static FileChannel lock(Path dir) throws IOException, HsmException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE_NAME),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly(OWNER_ONLY_FILE));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new HsmException("software HSM at " + dir + " is already open (by this or another process)");
        }
        return channel;
    }

    private static void deleteLeftovers(Path temp) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temp)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> mode) {
        return supportsPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }

    private static boolean supportsPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing the software HSM lock file failed: {}", e.toString());
        }
    }

    // ---- checks

    private void checkAesArguments(String label, byte[] iv, byte[] aad, byte[] data) {
        HsmArguments.checkGcm(label, iv, aad, data);
        ensureOpen();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(description() + " is closed");
        }
    }
}

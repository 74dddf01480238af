package dev.coffer.crypto.block;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seals and opens the blocks of one volume (block seal format v1). Thread-safe.
 *
 * <p>Nonce discipline: each instance seals under a <em>session key</em> derived from the volume data
 * key and a fresh random 128-bit key salt, with a counter nonce that starts at zero. A session key
 * is used for at most {@link #SEALS_PER_SESSION_KEY} seals, then a new salt is drawn. Nothing is
 * persisted: a crash or restart simply starts a new session, so no counter can be replayed; shared
 * blocks in snapshots and clones are never resealed, and a copy reseals under a new session. A
 * (key, nonce) pair can repeat only if two sessions draw the same 128-bit salt.
 */
public final class VolumeBlockCipher implements AutoCloseable {
    /** At most 2^32 seals per session key, NIST SP 800-38D's invocation bound, even with counter nonces. */
    public static final long SEALS_PER_SESSION_KEY = 1L << 32;
    private static final int SESSION_KEY_CACHE_LIMIT = 1024;

    private final SecretBytes volumeDataKey;
    private final byte[] bindingId;
    private final int blockSizeBytes;
    private final SecureRandom random;
    private final ConcurrentHashMap<ByteBuffer, AesKey> sessionKeys = new ConcurrentHashMap<>();
    private final ThreadLocal<AesGcm> gcm = ThreadLocal.withInitial(AesGcm::new);
    private volatile Session session;

    /**
     * @param volumeDataKey the volume's 32-byte data key (copied; {@link #close()} destroys the copy)
     * @param volumeBindingId what every block is bound to (the volume id, or the id of the lineage
     *     that first wrote the block): a block read under another binding id fails
     */
    public VolumeBlockCipher(SecretBytes volumeDataKey, String volumeBindingId,
                             BlockSealParameters parameters, SecureRandom random) {
        if (volumeDataKey.size() != BlockSealV1.DATA_KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("volume data key must be 32 bytes");
        }
        this.volumeDataKey = SecretBytes.copyOf(volumeDataKey.unsafeView(SecretAccess.explicitly()));
        this.bindingId = BlockSealV1.bindingIdBytes(volumeBindingId);
        this.blockSizeBytes = parameters.blockSizeBytes();
        this.random = Objects.requireNonNull(random, "random");
        this.session = newSession();
    }

    public int blockSizeBytes() {
        return blockSizeBytes;
    }

    public int sealedSizeBytes() {
        return BlockSealV1.sealedSize(blockSizeBytes);
    }

    /** Seals the block at {@code plaintext[offset, offset + blockSize)} into {@code sealed[sealedOffset, +sealedSize)}. */
    public void seal(long blockIndex, byte[] plaintext, int offset, byte[] sealed, int sealedOffset) {
        Objects.checkFromIndexSize(offset, blockSizeBytes, plaintext.length);
        Objects.checkFromIndexSize(sealedOffset, sealedSizeBytes(), sealed.length);
        Session s;
        long counter;
        while (true) {
            s = session;
            counter = s.counter.getAndIncrement();
            if (counter < SEALS_PER_SESSION_KEY) {
                break;
            }
            rotate(s);
        }
        byte[] nonce = new byte[BlockSealV1.NONCE_SIZE_BYTES];
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (counter >>> (8 * i));
        }
        BlockSealV1.seal(gcm.get(), s.key, s.salt, nonce, bindingId, blockIndex,
                plaintext, offset, blockSizeBytes, sealed, sealedOffset);
    }

    /**
     * Verifies and opens one sealed block; a block of another volume, index or key is refused, and so
     * is a record shorter than {@link #sealedSizeBytes()} (what a truncated stored value looks like).
     */
    public void open(long blockIndex, byte[] sealed, int sealedOffset, byte[] plaintext, int offset)
            throws CiphertextRejectedException {
        Objects.checkFromToIndex(sealedOffset, sealed.length, sealed.length);
        Objects.checkFromIndexSize(offset, blockSizeBytes, plaintext.length);
        if (sealed.length - sealedOffset < sealedSizeBytes()) {
            throw CiphertextRejectedException.truncatedOrExtended("sealed block shorter than " + sealedSizeBytes() + " bytes");
        }
        byte[] salt = BlockSealV1.keySalt(sealed, sealedOffset);
        AesKey key = sessionKey(salt);
        BlockSealV1.open(gcm.get(), key, bindingId, blockIndex, sealed, sealedOffset, blockSizeBytes, plaintext, offset);
    }

    private AesKey sessionKey(byte[] salt) {
        ByteBuffer id = ByteBuffer.wrap(salt);
        AesKey key = sessionKeys.get(id);
        if (key != null) {
            return key;
        }
        if (sessionKeys.size() >= SESSION_KEY_CACHE_LIMIT) {
            // Old sessions are only read; deriving a key again costs microseconds. The live session stays.
            Session live = session;
            sessionKeys.keySet().removeIf(k -> !k.equals(ByteBuffer.wrap(live.salt)));
        }
        return sessionKeys.computeIfAbsent(id, k -> BlockSealV1.deriveSessionKey(volumeDataKey, salt));
    }

    private synchronized void rotate(Session exhausted) {
        if (session == exhausted) {
            session = newSession();
        }
    }

    private Session newSession() {
        byte[] salt = new byte[BlockSealV1.KEY_SALT_SIZE_BYTES];
        random.nextBytes(salt);
        AesKey key = sessionKey(salt);
        return new Session(salt, key);
    }

    /** Destroys the data key copy; session keys become unreachable with this instance. */
    @Override
    public void close() {
        volumeDataKey.destroy();
        sessionKeys.values().forEach(AesKey::destroy);
        sessionKeys.clear();
    }

    @Override
    public String toString() {
        return "VolumeBlockCipher[block " + blockSizeBytes + " B]";
    }

    private static final class Session {
        final byte[] salt;
        final AesKey key;
        final AtomicLong counter = new AtomicLong();

        Session(byte[] salt, AesKey key) {
            this.salt = salt;
            this.key = key;
        }
    }
}

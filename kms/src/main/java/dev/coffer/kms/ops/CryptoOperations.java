package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.envelope.EncryptionContext;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.CiphertextBlob;
import dev.coffer.kms.core.KeyMaterial;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.hsm.HsmException;
import dev.coffer.kms.wire.KmsRequest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom. */
public final class CryptoOperations {
    public static final int MAX_PLAINTEXT_BYTES = 4096;
    public static final int MAX_CIPHERTEXT_BYTES = 6144;
    private static final Set<String> ALGORITHMS = Set.of("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE");
    private static final Set<String> DATA_KEY_SPECS = Set.of("AES_256", "AES_128");

    private final KmsContext ctx;

    public CryptoOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode encrypt(KmsCall call, KmsRequest req, Trace trace) {
        String keyIdentifier = req.requiredString("KeyId", 1, 2048);
        byte[] plaintext = req.requiredBlob("Plaintext", 1, MAX_PLAINTEXT_BYTES);
        Map<String, String> context = req.stringMap("EncryptionContext");
        requireSymmetricAlgorithm(req, "EncryptionAlgorithm");
        KmsKey key = ctx.resolver().resolve(keyIdentifier);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.Encrypt.action(), key, context, req.stringList("GrantTokens"));
        ctx.requireUsableForEncryption(key);
        byte[] blob = seal(key, plaintext, context);
        trace.additional("keyMaterialId", key.currentMaterial().materialId());
        ObjectNode out = ctx.object();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
        out.put("KeyId", key.arn());
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return out;
    }

    public ObjectNode generateDataKey(KmsCall call, KmsRequest req, Trace trace) {
        return dataKey(call, req, trace, KmsOperation.GenerateDataKey, true);
    }

    public ObjectNode generateDataKeyWithoutPlaintext(KmsCall call, KmsRequest req, Trace trace) {
        return dataKey(call, req, trace, KmsOperation.GenerateDataKeyWithoutPlaintext, false);
    }

    private ObjectNode dataKey(KmsCall call, KmsRequest req, Trace trace, KmsOperation op, boolean withPlaintext) {
        String keyIdentifier = req.requiredString("KeyId", 1, 2048);
        Map<String, String> context = req.stringMap("EncryptionContext");
        var keySpec = req.optionalEnum("KeySpec", DATA_KEY_SPECS);
        var numberOfBytes = req.optionalInt("NumberOfBytes", 1, 1024);
        if (keySpec.isPresent() == numberOfBytes.isPresent()) {
            throw new KmsException(KmsError.VALIDATION, keySpec.isPresent()
                    ? "Please specify either number of bytes or key spec, not both."
                    : "Please specify either number of bytes or key spec.");
        }
        if (req.has("Recipient")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Recipient (Nitro Enclaves attestation) is not supported by Coffer KMS.");
        }
        int length = numberOfBytes.orElseGet(() -> keySpec.get().equals("AES_256") ? 32 : 16);
        KmsKey key = ctx.resolver().resolve(keyIdentifier);
        trace.key(key);
        ctx.authorizer().authorize(call, op.action(), key, context, req.stringList("GrantTokens"));
        ctx.requireUsableForEncryption(key);
        try (SecretBytes dataKey = SecretBytes.random(length, ctx.random())) {
            byte[] blob = seal(key, dataKey.unsafeView(SecretAccess.explicitly()), context);
            trace.additional("keyMaterialId", key.currentMaterial().materialId());
            ObjectNode out = ctx.object();
            out.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
            if (withPlaintext) {
                out.put("Plaintext", Base64.getEncoder().encodeToString(dataKey.unsafeView(SecretAccess.explicitly())));
            }
            out.put("KeyId", key.arn());
            out.put("KeyMaterialId", key.currentMaterial().materialId());
            return out;
        }
    }

    public ObjectNode decrypt(KmsCall call, KmsRequest req, Trace trace) {
        byte[] blobBytes = req.requiredBlob("CiphertextBlob", 1, MAX_CIPHERTEXT_BYTES);
        Map<String, String> context = req.stringMap("EncryptionContext");
        requireSymmetricAlgorithm(req, "EncryptionAlgorithm");
        if (req.has("Recipient")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Recipient (Nitro Enclaves attestation) is not supported by Coffer KMS.");
        }
        CiphertextBlob blob = parse(blobBytes);
        KmsKey key = keyOfBlob(blob);
        if (req.has("KeyId")) {
            KmsKey named = ctx.resolver().resolve(req.requiredString("KeyId", 1, 2048));
            if (!named.keyId().equals(key.keyId())) {
                throw new KmsException(KmsError.INCORRECT_KEY,
                        "The key ID in the request does not identify a CMK that can perform this operation.");
            }
        }
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.Decrypt.action(), key, context, req.stringList("GrantTokens"));
        ctx.requireUsableForDecryption(key);
        try (SecretBytes plaintext = open(key, blob, context)) {
            KeyMaterial material = key.material(blob.materialVersion());
            trace.additional("keyMaterialId", material.materialId());
            ObjectNode out = ctx.object();
            out.put("KeyId", key.arn());
            out.put("Plaintext", Base64.getEncoder().encodeToString(plaintext.unsafeView(SecretAccess.explicitly())));
            out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            out.put("KeyMaterialId", material.materialId());
            return out;
        }
    }

    public ObjectNode reEncrypt(KmsCall call, KmsRequest req, Trace trace) {
        byte[] blobBytes = req.requiredBlob("CiphertextBlob", 1, MAX_CIPHERTEXT_BYTES);
        Map<String, String> sourceContext = req.stringMap("SourceEncryptionContext");
        Map<String, String> destinationContext = req.stringMap("DestinationEncryptionContext");
        requireSymmetricAlgorithm(req, "SourceEncryptionAlgorithm");
        requireSymmetricAlgorithm(req, "DestinationEncryptionAlgorithm");
        KmsKey destination = ctx.resolver().resolve(req.requiredString("DestinationKeyId", 1, 2048));
        CiphertextBlob blob = parse(blobBytes);
        KmsKey source = keyOfBlob(blob);
        if (req.has("SourceKeyId")) {
            KmsKey named = ctx.resolver().resolve(req.requiredString("SourceKeyId", 1, 2048));
            if (!named.keyId().equals(source.keyId())) {
                throw new KmsException(KmsError.INCORRECT_KEY,
                        "The key ID in the request does not identify a CMK that can perform this operation.");
            }
        }
        List<String> grantTokens = req.stringList("GrantTokens");
        trace.key(source);
        trace.key(destination);
        ctx.authorizer().authorize(call, "kms:ReEncryptFrom", source, sourceContext, grantTokens);
        ctx.authorizer().authorize(call, "kms:ReEncryptTo", destination, destinationContext, grantTokens);
        ctx.requireUsableForDecryption(source);
        ctx.requireUsableForEncryption(destination);
        try (SecretBytes plaintext = open(source, blob, sourceContext)) {
            byte[] newBlob = seal(destination, plaintext.unsafeView(SecretAccess.explicitly()), destinationContext);
            ObjectNode out = ctx.object();
            out.put("CiphertextBlob", Base64.getEncoder().encodeToString(newBlob));
            out.put("SourceKeyId", source.arn());
            out.put("KeyId", destination.arn());
            out.put("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            out.put("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            out.put("SourceKeyMaterialId", source.material(blob.materialVersion()).materialId());
            out.put("DestinationKeyMaterialId", destination.currentMaterial().materialId());
            return out;
        }
    }

    public ObjectNode generateRandom(KmsCall call, KmsRequest req, Trace trace) {
        int n = req.optionalInt("NumberOfBytes", 1, 1024)
                .orElseThrow(() -> KmsRequest.invalid("NumberOfBytes", "null", "Member must not be null"));
        if (req.has("CustomKeyStoreId")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Custom key stores are not supported by Coffer KMS.");
        }
        ctx.authorizer().authorizeWithoutKey(call, KmsOperation.GenerateRandom, Map.of());
        try {
            return ctx.object().put("Plaintext", Base64.getEncoder().encodeToString(ctx.hsm().random(n)));
        } catch (HsmException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not generate random bytes.");
        }
    }

    private byte[] seal(KmsKey key, byte[] plaintext, Map<String, String> context) {
        try {
            return ctx.crypto().encrypt(key, plaintext, EncryptionContext.of(context));
        } catch (HsmException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not use the key material.");
        } catch (IllegalArgumentException e) {
            throw new KmsException(KmsError.VALIDATION, "Invalid encryption context: " + e.getMessage());
        }
    }

    private SecretBytes open(KmsKey key, CiphertextBlob blob, Map<String, String> context) {
        KeyMaterial material = key.material(blob.materialVersion());
        if (material == null) {
            throw new KmsException(KmsError.INVALID_CIPHERTEXT, "");
        }
        if (!material.present()) {
            throw new KmsException(KmsError.INVALID_STATE, key.arn() + " is pending import.");
        }
        try {
            return ctx.crypto().decrypt(key, blob, EncryptionContext.of(context));
        } catch (CiphertextRejectedException e) {
            throw new KmsException(KmsError.INVALID_CIPHERTEXT, "");
        } catch (HsmException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not use the key material.");
        }
    }

    private CiphertextBlob parse(byte[] blobBytes) {
        try {
            return CiphertextBlob.parse(blobBytes);
        } catch (IllegalArgumentException e) {
            throw new KmsException(KmsError.INVALID_CIPHERTEXT, "");
        }
    }

    /** The key a blob names; a blob of an unknown key is invalid ciphertext (no key-existence oracle). */
    private KmsKey keyOfBlob(CiphertextBlob blob) {
        return ctx.store().key(blob.keyId().toString())
                .orElseThrow(() -> new KmsException(KmsError.INVALID_CIPHERTEXT, ""));
    }

    private static void requireSymmetricAlgorithm(KmsRequest req, String field) {
        req.optionalEnum(field, ALGORITHMS).ifPresent(a -> {
            if (!a.equals("SYMMETRIC_DEFAULT")) {
                throw new KmsException(KmsError.INVALID_KEY_USAGE,
                        "The encryption algorithm " + a + " is not compatible with the type of key used.");
            }
        });
    }
}

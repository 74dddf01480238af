package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.ImportParameters;
import dev.coffer.kms.core.KeyMaterial;
import dev.coffer.kms.core.KeyState;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.hsm.HsmException;
import dev.coffer.kms.wire.KmsRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (keys of Origin EXTERNAL).
 * The RSA wrapping key pair is generated per request; its private half is stored only sealed by the
 * HSM and used once to unwrap the material, which then goes straight into the HSM.
 */
public final class ImportOperations {
    public static final Duration PARAMETERS_LIFETIME = Duration.ofHours(24);
    private static final Set<String> ALGORITHMS = Set.of("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256",
            "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE");
    private static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
    private static final Set<String> KEY_SPECS = Set.of("RSA_2048", "RSA_3072", "RSA_4096", "SM2");
    private static final String SEALING_LABEL = "kms/internal/import-parameters";
    private static final String TOKEN_PREFIX = "coffer-import-token-v1:";

    private final KmsContext ctx;

    public ImportOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode getParametersForImport(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String algorithm = req.optionalEnum("WrappingAlgorithm", ALGORITHMS)
                .orElseThrow(() -> KmsRequest.invalid("WrappingAlgorithm", "null", "Member must not be null"));
        String keySpec = req.optionalEnum("WrappingKeySpec", KEY_SPECS)
                .orElseThrow(() -> KmsRequest.invalid("WrappingKeySpec", "null", "Member must not be null"));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.GetParametersForImport.action(), key, Map.of(), List.of(),
                Map.of("kms:WrappingAlgorithm", List.of(algorithm), "kms:WrappingKeySpec", List.of(keySpec)));
        requireExternal(key);
        ctx.requireNotPendingDeletion(key);
        if (!SUPPORTED_ALGORITHMS.contains(algorithm) || keySpec.equals("SM2")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Wrapping algorithm " + algorithm + " with " + keySpec
                    + " is not supported by Coffer KMS; use RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1 with an RSA key.");
        }
        int bits = Integer.parseInt(keySpec.substring("RSA_".length()));
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, ctx.random());
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KmsException(KmsError.INTERNAL, "Could not generate the wrapping key.");
        }
        byte[] tokenId = new byte[16];
        ctx.random().nextBytes(tokenId);
        String tokenIdHex = HexFormat.of().formatHex(tokenId);
        byte[] iv = new byte[12];
        ctx.random().nextBytes(iv);
        byte[] privateKey = pair.getPrivate().getEncoded();
        String sealed;
        try {
            ensureSealingKey();
            sealed = Base64.getEncoder().encodeToString(
                    ctx.hsm().seal(SEALING_LABEL, iv, sealingAad(key.keyId(), tokenIdHex), privateKey));
        } catch (HsmException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not protect the wrapping key.");
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        Instant validTo = ctx.clock().instant().plus(PARAMETERS_LIFETIME);
        String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        ctx.store().putImportParameters(new ImportParameters(key.keyId(), tokenIdHex, algorithm, keySpec, publicKey, sealed,
                Base64.getEncoder().encodeToString(iv), validTo));
        ObjectNode out = ctx.object();
        out.put("KeyId", key.arn());
        out.put("ImportToken", Base64.getEncoder().encodeToString(
                (TOKEN_PREFIX + key.keyId() + ":" + tokenIdHex).getBytes(StandardCharsets.UTF_8)));
        out.put("PublicKey", publicKey);
        out.put("ParametersValidTo", KmsContext.epochSeconds(validTo));
        return out;
    }

    public ObjectNode importKeyMaterial(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        byte[] token = req.requiredBlob("ImportToken", 1, 6144);
        byte[] encrypted = req.requiredBlob("EncryptedKeyMaterial", 1, 6144);
        String expirationModel = req.optionalEnum("ExpirationModel",
                Set.of("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE")).orElse("KEY_MATERIAL_EXPIRES");
        Instant validTo = null;
        if (req.has("ValidTo")) {
            validTo = Instant.ofEpochMilli((long) (req.raw("ValidTo").asDouble() * 1000));
        }
        String importType = req.optionalEnum("ImportType", Set.of("NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"))
                .orElse("EXISTING_KEY_MATERIAL");
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ImportKeyMaterial.action(), key, Map.of(), List.of(),
                Map.of("kms:ExpirationModel", List.of(expirationModel)));
        requireExternal(key);
        ctx.requireNotPendingDeletion(key);
        if (importType.equals("NEW_KEY_MATERIAL") && !key.materials().isEmpty()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION,
                    "Importing new key material for rotation is not supported by Coffer KMS.");
        }
        if (expirationModel.equals("KEY_MATERIAL_EXPIRES") && validTo == null) {
            throw new KmsException(KmsError.VALIDATION, "A ValidTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES.");
        }
        if (expirationModel.equals("KEY_MATERIAL_DOES_NOT_EXPIRE") && validTo != null) {
            throw new KmsException(KmsError.VALIDATION, "A ValidTo date may only be set if the ExpirationModel is KEY_MATERIAL_EXPIRES.");
        }
        Instant now = ctx.clock().instant();
        if (validTo != null && (!validTo.isAfter(now) || validTo.isAfter(now.plus(Duration.ofDays(365 * 10))))) {
            throw new KmsException(KmsError.VALIDATION, "ValidTo must be in the future and at most 10 years from now.");
        }
        ImportParameters params = checkToken(key, token);
        Instant fValidTo = validTo;
        KmsKey imported = ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            try (SecretBytes material = unwrap(params, encrypted)) {
                String fingerprint = fingerprint(material);
                KeyMaterial existing = current.currentMaterial();
                if (existing != null && !existing.importFingerprint().equals(fingerprint)) {
                    throw new KmsException(KmsError.INCORRECT_KEY_MATERIAL,
                            "The key material doesn't match the key material previously imported into this key.");
                }
                int version = existing == null ? 1 : existing.version();
                String label = "kms/" + current.keyId() + "/v" + version;
                try {
                    ctx.hsm().destroyKey(label);
                    ctx.hsm().importAesKey(label, material);
                } catch (RuntimeException e) {
                    throw new KmsException(KmsError.INTERNAL, "The HSM could not import the key material.");
                }
                KeyMaterial m = existing == null
                        ? new KeyMaterial(1, materialId(), label, now, null, true, fValidTo, true, fingerprint)
                        : existing.withPresence(true, fValidTo);
                KmsKey next = current.toBuilder().materials(List.of(m)).expirationModel(expirationModel)
                        .keyState(current.keyState() == KeyState.PendingImport ? KeyState.Enabled : current.keyState()).build();
                ctx.store().putKey(next);
                return next;
            }
        });
        ObjectNode out = ctx.object();
        out.put("KeyId", imported.arn());
        out.put("KeyMaterialId", imported.currentMaterial().materialId());
        return out;
    }

    public ObjectNode deleteImportedKeyMaterial(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.DeleteImportedKeyMaterial.action(), key, Map.of(), List.of());
        requireExternal(key);
        ctx.requireNotPendingDeletion(key);
        KmsKey deleted = ctx.withKeyLock(key.keyId(), () -> removeMaterial(ctx.reload(key)));
        ObjectNode out = ctx.object().put("KeyId", deleted.arn());
        if (deleted.currentMaterial() != null) {
            out.put("KeyMaterialId", deleted.currentMaterial().materialId());
        }
        return out;
    }

    /** Destroys the imported material in the HSM and leaves the key PendingImport (also on expiry). */
    public KmsKey removeMaterial(KmsKey current) {
        for (KeyMaterial m : current.materials()) {
            ctx.hsm().destroyKey(m.hsmLabel());
        }
        KmsKey next = current.toBuilder()
                .materials(current.materials().stream().map(m -> m.withPresence(false, null)).toList())
                .keyState(current.keyState() == KeyState.PendingDeletion ? KeyState.PendingDeletion : KeyState.PendingImport)
                .build();
        ctx.store().putKey(next);
        return next;
    }

    private ImportParameters checkToken(KmsKey key, byte[] token) {
        String text = new String(token, StandardCharsets.UTF_8);
        String prefix = TOKEN_PREFIX + key.keyId() + ":";
        ImportParameters params = ctx.store().importParameters(key.keyId())
                .filter(p -> text.equals(prefix + p.importTokenId()))
                .orElseThrow(() -> new KmsException(KmsError.INVALID_IMPORT_TOKEN,
                        "The import token is invalid or does not belong to " + key.arn() + "."));
        if (!params.validTo().isAfter(ctx.clock().instant())) {
            throw new KmsException(KmsError.EXPIRED_IMPORT_TOKEN, "The import token has expired; call GetParametersForImport again.");
        }
        return params;
    }

    private SecretBytes unwrap(ImportParameters params, byte[] encrypted) {
        byte[] privateKeyBytes;
        try {
            privateKeyBytes = ctx.hsm().open(SEALING_LABEL, Base64.getDecoder().decode(params.sealIv()),
                    sealingAad(params.keyId(), params.importTokenId()), Base64.getDecoder().decode(params.sealedPrivateKey()));
        } catch (HsmException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not open the wrapping key.");
        }
        try {
            PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateKeyBytes));
            String digest = params.wrappingAlgorithm().equals("RSAES_OAEP_SHA_256") ? "SHA-256" : "SHA-1";
            MGF1ParameterSpec mgf = digest.equals("SHA-256") ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1;
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.DECRYPT_MODE, privateKey, new OAEPParameterSpec(digest, "MGF1", mgf, PSource.PSpecified.DEFAULT));
            byte[] material = rsa.doFinal(encrypted);
            if (material.length != 32) {
                Arrays.fill(material, (byte) 0);
                throw new KmsException(KmsError.INCORRECT_KEY_MATERIAL, "Imported key material must be a 256-bit symmetric key.");
            }
            return SecretBytes.takeOwnership(material);
        } catch (GeneralSecurityException e) {
            throw new KmsException(KmsError.INVALID_CIPHERTEXT,
                    "The EncryptedKeyMaterial could not be decrypted with the wrapping key of this import token.");
        } finally {
            Arrays.fill(privateKeyBytes, (byte) 0);
        }
    }

    private void ensureSealingKey() {
        if (!ctx.hsm().containsKey(SEALING_LABEL)) {
            synchronized (this) {
                if (!ctx.hsm().containsKey(SEALING_LABEL)) {
                    ctx.hsm().generateAesKey(SEALING_LABEL);
                }
            }
        }
    }

    private static byte[] sealingAad(String keyId, String tokenId) {
        return ("coffer/kms-import-parameters/v1:" + keyId + ":" + tokenId).getBytes(StandardCharsets.UTF_8);
    }

    private static String fingerprint(SecretBytes material) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(material.unsafeView(SecretAccess.explicitly()), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("coffer/kms-import-fingerprint/v1".getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private String materialId() {
        byte[] id = new byte[32];
        ctx.random().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static void requireExternal(KmsKey key) {
        if (!key.isExternal()) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, key.arn() + " origin is " + key.origin()
                    + " which is not valid for this operation.");
        }
    }
}

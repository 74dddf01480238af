package dev.coffer.kms.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KmsCall;
import dev.coffer.kms.KmsContext;
import dev.coffer.kms.KmsError;
import dev.coffer.kms.KmsException;
import dev.coffer.kms.KmsOperation;
import dev.coffer.kms.core.AwsManagedKeys;
import dev.coffer.kms.core.CofferServiceKeys;
import dev.coffer.kms.core.KeyMaterial;
import dev.coffer.kms.core.KeyResolver;
import dev.coffer.kms.core.KeyState;
import dev.coffer.kms.core.KmsAlias;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.wire.KmsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Key lifecycle: CreateKey, DescribeKey, ListKeys, Enable/DisableKey, Schedule/CancelKeyDeletion, UpdateKeyDescription. */
public final class KeyOperations {
    private static final Set<String> KEY_SPECS = Set.of("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384",
            "ECC_NIST_P521", "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
            "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519");
    private static final Set<String> KEY_USAGES = Set.of("SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");
    private static final Set<String> ORIGINS = Set.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    public static final int MAX_POLICY_BYTES = 32 * 1024;

    private final KmsContext ctx;

    public KeyOperations(KmsContext ctx) {
        this.ctx = ctx;
    }

    public ObjectNode createKey(KmsCall call, KmsRequest req, Trace trace) {
        String keySpec = req.optionalEnum("KeySpec", KEY_SPECS)
                .or(() -> req.optionalEnum("CustomerMasterKeySpec", KEY_SPECS)).orElse("SYMMETRIC_DEFAULT");
        String keyUsage = req.optionalEnum("KeyUsage", KEY_USAGES).orElse("ENCRYPT_DECRYPT");
        String origin = req.optionalEnum("Origin", ORIGINS).orElse("AWS_KMS");
        String description = req.optionalString("Description", 0, 8192).orElse("");
        boolean multiRegion = req.optionalBoolean("MultiRegion").orElse(false);
        Map<String, String> tags = req.tags("Tags");
        req.optionalString("CustomKeyStoreId", 1, 64).ifPresent(id -> {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Custom key stores are not supported by Coffer KMS.");
        });
        if (!keySpec.equals("SYMMETRIC_DEFAULT")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION,
                    "KeySpec " + keySpec + " is not supported by Coffer KMS; only SYMMETRIC_DEFAULT keys are available.");
        }
        if (!keyUsage.equals("ENCRYPT_DECRYPT")) {
            throw new KmsException(KmsError.VALIDATION, "KeyUsage " + keyUsage + " is not compatible with KeySpec SYMMETRIC_DEFAULT.");
        }
        if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Origin " + origin + " is not supported by Coffer KMS.");
        }
        if (multiRegion) {
            throw new KmsException(KmsError.UNSUPPORTED_OPERATION, "Multi-Region keys are not supported by Coffer KMS.");
        }
        String policy = req.optionalString("Policy", 1, MAX_POLICY_BYTES).orElse(null);
        ctx.authorizer().authorizeWithoutKey(call, KmsOperation.CreateKey, Map.of());
        if (policy != null) {
            ctx.authorizer().validateKeyPolicy(policy, call,
                    req.optionalBoolean("BypassPolicyLockoutSafetyCheck").orElse(false));
        }
        if (ctx.store().keyCount() >= ctx.config().maxKeysPerAccount()) {
            throw new KmsException(KmsError.LIMIT_EXCEEDED, "Account " + ctx.account() + " already has the maximum of "
                    + ctx.config().maxKeysPerAccount() + " keys in " + ctx.region() + ".");
        }
        TagOperations.validateTags(tags);
        String keyId = UUID.randomUUID().toString();
        Instant now = ctx.clock().instant();
        KmsKey.Builder key = new KmsKey.Builder().keyId(keyId).accountId(ctx.account()).region(ctx.region())
                .creationDate(now).description(description).origin(origin).keyManager(KmsKey.MANAGER_CUSTOMER)
                .policy(policy != null ? policy : defaultPolicy(ctx.account())).tags(tags);
        if (origin.equals("EXTERNAL")) {
            key.keyState(KeyState.PendingImport);
        } else {
            key.keyState(KeyState.Enabled).addMaterial(newMaterial(keyId, 1, now, null));
        }
        KmsKey created = key.build();
        ctx.store().createKey(created, null);
        trace.key(created);
        return withMetadata(created);
    }

    /**
     * Creates, on first use, the AWS managed key of {@code alias/aws/<service>} or the Coffer service
     * key of {@code alias/coffer/...}: key manager AWS (so no one can manage it), rotated yearly, with
     * the fixed policy of its kind.
     */
    public KmsKey createAwsManagedKey(String aliasName) {
        return ctx.withKeyLock(aliasName, () -> ctx.store().alias(aliasName)
                .flatMap(a -> ctx.store().key(a.targetKeyId()))
                .orElseGet(() -> {
                    String keyId = UUID.randomUUID().toString();
                    Instant now = ctx.clock().instant();
                    boolean serviceKey = CofferServiceKeys.isServiceKeyAlias(aliasName);
                    String service = serviceKey ? null : AwsManagedKeys.service(aliasName);
                    String description = serviceKey ? CofferServiceKeys.description(aliasName)
                            : "Default key that protects my " + service.toUpperCase() + " data when no other key is defined";
                    String policy = serviceKey ? CofferServiceKeys.policy(ctx.account(), aliasName)
                            : AwsManagedKeys.policy(ctx.account(), ctx.region(), service);
                    int rotationDays = serviceKey ? CofferServiceKeys.ROTATION_PERIOD_DAYS : AwsManagedKeys.ROTATION_PERIOD_DAYS;
                    KmsKey key = new KmsKey.Builder().keyId(keyId).accountId(ctx.account()).region(ctx.region())
                            .creationDate(now).description(description)
                            .origin(KmsKey.ORIGIN_AWS_KMS).keyManager(KmsKey.MANAGER_AWS).keyState(KeyState.Enabled)
                            .rotationEnabled(true).rotationPeriodInDays(rotationDays)
                            .nextRotationDate(now.plus(Duration.ofDays(rotationDays)))
                            .policy(policy)
                            .addMaterial(newMaterial(keyId, 1, now, null)).build();
                    ctx.store().createKey(key, new KmsAlias(aliasName, keyId, now, now));
                    return key;
                }));
    }

    public ObjectNode describeKey(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolve(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.DescribeKey.action(), key, Map.of(), req.stringList("GrantTokens"));
        return withMetadata(key);
    }

    public ObjectNode listKeys(KmsCall call, KmsRequest req, Trace trace) {
        int limit = req.optionalInt("Limit", 1, 1000).orElse(100);
        String marker = req.optionalString("Marker", 1, 1024).orElse(null);
        if (marker != null && !KeyResolver.isKeyId(marker)) {
            throw new KmsException(KmsError.INVALID_MARKER, "Invalid marker");
        }
        ctx.authorizer().authorizeWithoutKey(call, KmsOperation.ListKeys, Map.of());
        List<KmsKey> page = ctx.store().keys(marker, limit + 1);
        ObjectNode out = ctx.object();
        ArrayNode keys = out.putArray("Keys");
        page.stream().limit(limit).forEach(k -> keys.addObject().put("KeyId", k.keyId()).put("KeyArn", k.arn()));
        out.put("Truncated", page.size() > limit);
        if (page.size() > limit) {
            out.put("NextMarker", page.get(limit - 1).keyId());
        }
        return out;
    }

    public ObjectNode enableKey(KmsCall call, KmsRequest req, Trace trace) {
        return changeState(call, req, trace, KmsOperation.EnableKey, KeyState.Enabled);
    }

    public ObjectNode disableKey(KmsCall call, KmsRequest req, Trace trace) {
        return changeState(call, req, trace, KmsOperation.DisableKey, KeyState.Disabled);
    }

    private ObjectNode changeState(KmsCall call, KmsRequest req, Trace trace, KmsOperation op, KeyState target) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, op.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, op);
        ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            switch (current.keyState()) {
                case PendingDeletion -> throw new KmsException(KmsError.INVALID_STATE, current.arn() + " is pending deletion.");
                case PendingImport -> throw new KmsException(KmsError.INVALID_STATE, current.arn() + " is pending import.");
                default -> { }
            }
            if (current.keyState() != target) {
                ctx.store().putKey(current.toBuilder().keyState(target).build());
            }
            return null;
        });
        return ctx.object();
    }

    public ObjectNode scheduleKeyDeletion(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        int days = req.optionalInt("PendingWindowInDays", 1, 365).orElse(30);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.ScheduleKeyDeletion.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.ScheduleKeyDeletion);
        if (days < 7 || days > 30) {
            throw new KmsException(KmsError.VALIDATION,
                    "PendingWindowInDays value is invalid. Specify a value between 7 and 30 (inclusive).");
        }
        KmsKey scheduled = ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            if (current.keyState() == KeyState.PendingDeletion) {
                throw new KmsException(KmsError.INVALID_STATE, current.arn() + " is pending deletion.");
            }
            KmsKey next = current.toBuilder().keyState(KeyState.PendingDeletion)
                    .deletionDate(ctx.clock().instant().plus(Duration.ofDays(days))).pendingDeletionWindowInDays(days).build();
            ctx.store().putKey(next);
            return next;
        });
        ObjectNode out = ctx.object();
        out.put("KeyId", scheduled.arn());
        out.put("DeletionDate", KmsContext.epochSeconds(scheduled.deletionDate()));
        out.put("KeyState", scheduled.keyState().name());
        out.put("PendingWindowInDays", days);
        return out;
    }

    public ObjectNode cancelKeyDeletion(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.CancelKeyDeletion.action(), key, Map.of(), List.of());
        ctx.withKeyLock(key.keyId(), () -> {
            KmsKey current = ctx.reload(key);
            if (current.keyState() != KeyState.PendingDeletion) {
                throw new KmsException(KmsError.INVALID_STATE, current.arn() + " is not pending deletion.");
            }
            // AWS leaves a key whose deletion was cancelled Disabled (or PendingImport without material).
            boolean hasMaterial = current.currentMaterial() != null && current.currentMaterial().present();
            ctx.store().putKey(current.toBuilder().keyState(hasMaterial ? KeyState.Disabled : KeyState.PendingImport)
                    .deletionDate(null).pendingDeletionWindowInDays(null).build());
            return null;
        });
        return ctx.object().put("KeyId", key.arn());
    }

    public ObjectNode updateKeyDescription(KmsCall call, KmsRequest req, Trace trace) {
        KmsKey key = ctx.resolver().resolveKeyIdOrArn(req.requiredString("KeyId", 1, 2048));
        String description = req.requiredString("Description", 0, 8192);
        trace.key(key);
        ctx.authorizer().authorize(call, KmsOperation.UpdateKeyDescription.action(), key, Map.of(), List.of());
        ctx.requireCustomerManaged(key, KmsOperation.UpdateKeyDescription);
        ctx.requireNotPendingDeletion(key);
        ctx.withKeyLock(key.keyId(), () -> {
            ctx.store().putKey(ctx.reload(key).toBuilder().description(description).build());
            return null;
        });
        return ctx.object();
    }

    /** Generates material in the HSM for a new version of a key. */
    KeyMaterial newMaterial(String keyId, int version, Instant now, String rotationType) {
        String label = "kms/" + keyId + "/v" + version;
        try {
            ctx.hsm().generateAesKey(label);
        } catch (RuntimeException e) {
            throw new KmsException(KmsError.INTERNAL, "The HSM could not generate key material.");
        }
        return new KeyMaterial(version, materialId(), label, now, rotationType, false, null, true, null);
    }

    String materialId() {
        byte[] id = new byte[32];
        ctx.random().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    static String defaultPolicy(String account) {
        return """
                {
                  "Version" : "2012-10-17",
                  "Id" : "key-default-1",
                  "Statement" : [ {
                    "Sid" : "Enable IAM User Permissions",
                    "Effect" : "Allow",
                    "Principal" : {
                      "AWS" : "arn:aws:iam::%s:root"
                    },
                    "Action" : "kms:*",
                    "Resource" : "*"
                  } ]
                }""".formatted(account);
    }

    private ObjectNode withMetadata(KmsKey key) {
        ObjectNode out = ctx.object();
        out.set("KeyMetadata", ctx.keyMetadata(key));
        return out;
    }
}

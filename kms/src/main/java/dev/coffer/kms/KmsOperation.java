package dev.coffer.kms;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every KMS operation Coffer serves, by its AWS name ({@code X-Amz-Target: TrentService.<name>}).
 * The route table in {@link KmsService} maps each to its one handler.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html">KMS operations</a>
 */
public enum KmsOperation {
    CreateKey(false), DescribeKey(true), ListKeys(true), EnableKey(false), DisableKey(false),
    ScheduleKeyDeletion(false), CancelKeyDeletion(false), UpdateKeyDescription(false),
    CreateAlias(false), UpdateAlias(false), DeleteAlias(false), ListAliases(true),
    Encrypt(true), Decrypt(true), ReEncrypt(true), GenerateDataKey(true), GenerateDataKeyWithoutPlaintext(true),
    GenerateRandom(true),
    EnableKeyRotation(false), DisableKeyRotation(false), GetKeyRotationStatus(true), RotateKeyOnDemand(false),
    ListKeyRotations(true),
    GetKeyPolicy(true), PutKeyPolicy(false), ListKeyPolicies(true),
    CreateGrant(false), ListGrants(true), RetireGrant(false), RevokeGrant(false), ListRetirableGrants(true),
    TagResource(false), UntagResource(false), ListResourceTags(true),
    GetParametersForImport(true), ImportKeyMaterial(false), DeleteImportedKeyMaterial(false);

    /**
     * Operations AWS KMS has that Coffer does not implement (asymmetric and HMAC keys, custom key
     * stores, multi-Region keys): they answer UnsupportedOperationException, not UnknownOperation.
     */
    public static final Set<String> NOT_SUPPORTED = Set.of(
            "ConnectCustomKeyStore", "CreateCustomKeyStore", "DeleteCustomKeyStore", "DescribeCustomKeyStores",
            "DisconnectCustomKeyStore", "UpdateCustomKeyStore", "DeriveSharedSecret", "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "GetPublicKey", "Sign", "Verify",
            "ReplicateKey", "UpdatePrimaryRegion", "GetKeyLastUsage");

    private static final Map<String, KmsOperation> BY_NAME = new HashMap<>();

    static {
        for (KmsOperation op : values()) {
            BY_NAME.put(op.name(), op);
        }
    }

    private final boolean readOnly;

    KmsOperation(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** CloudTrail's readOnly flag for this operation. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The IAM action, e.g. {@code kms:Decrypt}. */
    public String action() {
        return "kms:" + name();
    }

    public static KmsOperation byName(String name) {
        return BY_NAME.get(name);
    }
}

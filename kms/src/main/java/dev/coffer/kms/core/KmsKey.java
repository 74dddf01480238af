package dev.coffer.kms.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A KMS key's metadata as stored (never its material, which stays in the HSM). Immutable; change
 * through {@link #toBuilder()}.
 */
public record KmsKey(
        String keyId,
        String accountId,
        String region,
        Instant creationDate,
        String description,
        String origin,
        String keyManager,
        KeyState keyState,
        Instant deletionDate,
        Integer pendingDeletionWindowInDays,
        boolean rotationEnabled,
        Integer rotationPeriodInDays,
        Instant nextRotationDate,
        int onDemandRotations,
        String expirationModel,
        List<KeyMaterial> materials,
        String policy,
        Map<String, String> tags) {

    public static final String ORIGIN_AWS_KMS = "AWS_KMS";
    public static final String ORIGIN_EXTERNAL = "EXTERNAL";
    public static final String MANAGER_CUSTOMER = "CUSTOMER";
    public static final String MANAGER_AWS = "AWS";

    public KmsKey {
        materials = List.copyOf(materials);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public String arn() {
        return Arns.keyArn(region, accountId, keyId);
    }

    @JsonIgnore
    public boolean isAwsManaged() {
        return MANAGER_AWS.equals(keyManager);
    }

    @JsonIgnore
    public boolean isExternal() {
        return ORIGIN_EXTERNAL.equals(origin);
    }

    /** The material new ciphertexts use: the newest version. */
    public KeyMaterial currentMaterial() {
        return materials.isEmpty() ? null : materials.getLast();
    }

    public KeyMaterial material(int version) {
        for (KeyMaterial m : materials) {
            if (m.version() == version) {
                return m;
            }
        }
        return null;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change for the immutable key. */
    public static final class Builder {
        private String keyId;
        private String accountId;
        private String region;
        private Instant creationDate;
        private String description;
        private String origin;
        private String keyManager;
        private KeyState keyState;
        private Instant deletionDate;
        private Integer pendingDeletionWindowInDays;
        private boolean rotationEnabled;
        private Integer rotationPeriodInDays;
        private Instant nextRotationDate;
        private int onDemandRotations;
        private String expirationModel;
        private List<KeyMaterial> materials;
        private String policy;
        private Map<String, String> tags;

        public Builder() {
            this.materials = new ArrayList<>();
            this.tags = new LinkedHashMap<>();
        }

        Builder(KmsKey k) {
            keyId = k.keyId;
            accountId = k.accountId;
            region = k.region;
            creationDate = k.creationDate;
            description = k.description;
            origin = k.origin;
            keyManager = k.keyManager;
            keyState = k.keyState;
            deletionDate = k.deletionDate;
            pendingDeletionWindowInDays = k.pendingDeletionWindowInDays;
            rotationEnabled = k.rotationEnabled;
            rotationPeriodInDays = k.rotationPeriodInDays;
            nextRotationDate = k.nextRotationDate;
            onDemandRotations = k.onDemandRotations;
            expirationModel = k.expirationModel;
            materials = new ArrayList<>(k.materials);
            policy = k.policy;
            tags = new LinkedHashMap<>(k.tags);
        }

        public Builder keyId(String v) { keyId = v; return this; }
        public Builder accountId(String v) { accountId = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder creationDate(Instant v) { creationDate = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder origin(String v) { origin = v; return this; }
        public Builder keyManager(String v) { keyManager = v; return this; }
        public Builder keyState(KeyState v) { keyState = v; return this; }
        public Builder deletionDate(Instant v) { deletionDate = v; return this; }
        public Builder pendingDeletionWindowInDays(Integer v) { pendingDeletionWindowInDays = v; return this; }
        public Builder rotationEnabled(boolean v) { rotationEnabled = v; return this; }
        public Builder rotationPeriodInDays(Integer v) { rotationPeriodInDays = v; return this; }
        public Builder nextRotationDate(Instant v) { nextRotationDate = v; return this; }
        public Builder onDemandRotations(int v) { onDemandRotations = v; return this; }
        public Builder expirationModel(String v) { expirationModel = v; return this; }
        public Builder materials(List<KeyMaterial> v) { materials = new ArrayList<>(v); return this; }
        public Builder addMaterial(KeyMaterial v) { materials.add(v); return this; }
        public Builder policy(String v) { policy = v; return this; }
        public Builder tags(Map<String, String> v) { tags = new LinkedHashMap<>(v); return this; }

        public KmsKey build() {
            return new KmsKey(keyId, accountId, region, creationDate, description, origin, keyManager, keyState,
                    deletionDate, pendingDeletionWindowInDays, rotationEnabled, rotationPeriodInDays, nextRotationDate,
                    onDemandRotations, expirationModel, materials, policy, tags);
        }
    }
}

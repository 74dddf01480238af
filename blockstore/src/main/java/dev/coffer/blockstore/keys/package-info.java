/**
 * The block store's port to the KMS ({@link dev.coffer.blockstore.keys.VolumeKeyService}): data keys
 * for encrypted volumes, made and unsealed the way EBS does it, on the requester's behalf and through
 * grants. The gateway implements it over the AWS SDK's {@code KmsClient}.
 */
package dev.coffer.blockstore.keys;

/**
 * Where encrypted volumes' data keys come from: {@link dev.coffer.gateway.ebs.KmsClientVolumeKeyService},
 * the block store's {@code VolumeKeyService} port implemented over the AWS SDK's {@code KmsClient}
 * with the calls EBS makes (DescribeKey, GenerateDataKeyWithoutPlaintext and CreateGrant on the
 * requester's behalf; Decrypt and RetireGrant as the EC2 service under the grant). See docs/KMS.md,
 * "Volumes and the KMS".
 */
package dev.coffer.gateway.ebs;

/**
 * Where the S3 front end's data keys come from: {@link dev.coffer.gateway.sse.KmsClientKeyService},
 * the S3 module's {@code KeyService} port implemented over the AWS SDK's {@code KmsClient}, signed
 * with the S3 service's in-memory credential and aimed at the embedded KMS on the edge port or at
 * {@code --kms-endpoint}. See docs/KMS.md, "Server-side encryption: where keys come from".
 */
package dev.coffer.gateway.sse;

/**
 * The AWS SDK {@code KmsClient} as Coffer's own services (S3, EC2) use it:
 * {@link dev.coffer.gateway.kmsclient.ServiceKmsClient} builds it once per service, signed with the
 * service's in-memory credential, aimed at {@code --kms-endpoint} or the embedded KMS, and translates
 * its errors into the calling port's exception. The ports' adapters live in {@code gateway.sse} and
 * {@code gateway.ebs}.
 */
package dev.coffer.gateway.kmsclient;

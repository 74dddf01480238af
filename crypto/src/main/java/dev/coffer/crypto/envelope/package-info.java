/**
 * The envelope vocabulary of the AWS Encryption SDK, which Coffer's S3 and volume paths speak: data
 * keys, encrypted data keys, encryption context, encryption and decryption materials, and the
 * {@link dev.coffer.crypto.envelope.Keyring} port.
 */
package dev.coffer.crypto.envelope;

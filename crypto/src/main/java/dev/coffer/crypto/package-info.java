/**
 * Coffer's crypto core, on the JDK alone: {@link dev.coffer.crypto.SecretBytes}, HKDF-SHA256, the
 * envelope vocabulary (data keys, encrypted data keys, encryption context, the keyring port), and the
 * two stored formats: the object stream format ({@code stream}) and the block seal format ({@code block}).
 */
package dev.coffer.crypto;

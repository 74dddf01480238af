/**
 * Object stream format v1 (docs/formats/object-stream-v1.md): AES-256-GCM in fixed-size segments
 * under a per-stream derived key, with streaming encryption and decryption and random-access range
 * reads. The pure functions are in {@link dev.coffer.crypto.stream.ObjectStreamV1}.
 */
package dev.coffer.crypto.stream;

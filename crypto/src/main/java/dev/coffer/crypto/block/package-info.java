/**
 * Block seal format v1 (docs/formats/block-seal-v1.md): one fixed-size volume block sealed with
 * AES-256-GCM and bound to its volume and index. The pure functions are in
 * {@link dev.coffer.crypto.block.BlockSealV1}; the nonce discipline in
 * {@link dev.coffer.crypto.block.VolumeBlockCipher}.
 */
package dev.coffer.crypto.block;

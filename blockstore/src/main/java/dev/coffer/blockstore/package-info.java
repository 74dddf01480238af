/**
 * Encrypted block volumes: the volume engine ({@code engine}: RocksDB, sealed blocks, thin
 * provisioning, incremental snapshots), the NBD server that exports attached volumes ({@code nbd}),
 * and the EC2-style control API ({@code ec2}) that creates, attaches and snapshots them with data
 * keys from the KMS ({@code keys}). {@code device} is the small interface between them.
 */
package dev.coffer.blockstore;

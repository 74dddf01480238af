/**
 * The volume engine (RocksDB, sealed blocks, thin provisioning, snapshots), the NBD server and the
 * EC2-style control API. Empty until the volume issue builds it.
 */
package dev.coffer.blockstore;

/**
 * The embedded metadata store every Coffer module persists through: RocksDB with tables declared
 * once as (name, key codec, value codec), synced atomic writes, and one translation of RocksDB's
 * errors. Each module opens its own store under the data directory.
 */
package dev.coffer.auth.store;

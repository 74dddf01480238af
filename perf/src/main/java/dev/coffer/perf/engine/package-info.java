/**
 * JMH benchmark of the volume engine on the real disk (plaintext and encrypted volumes), beside RocksDB
 * with default options doing the same key-value work in the same run. Run by {@code scripts/bench-crypto.sh}.
 */
package dev.coffer.perf.engine;

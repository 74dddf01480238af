/**
 * The volume engine: volumes and snapshots of fixed-size blocks, their records in an append-only
 * block log indexed by one RocksDB database ({@link dev.coffer.blockstore.engine.VolumeStore}), opened for I/O as a
 * {@link dev.coffer.blockstore.engine.VolumeDevice}. Blocks live in spaces keyed (space, index,
 * epoch); snapshots pin epochs, volumes made from snapshots fall back to their parent's view, and
 * garbage collection frees what no view sees. The stored layout is docs/formats/volume-engine-v2.md.
 */
package dev.coffer.blockstore.engine;

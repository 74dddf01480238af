/**
 * What the NBD server serves and the volume engine provides: a {@link dev.coffer.blockstore.device.BlockDevice},
 * and the {@link dev.coffer.blockstore.device.ExportTable} through which the control plane publishes
 * attached volumes and withdraws them at detach.
 */
package dev.coffer.blockstore.device;

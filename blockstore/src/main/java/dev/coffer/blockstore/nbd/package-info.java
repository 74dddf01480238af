/**
 * The NBD server that exports attached volumes: {@link dev.coffer.blockstore.nbd.NbdServer} speaks
 * the NBD protocol (fixed newstyle handshake, simple replies) over Netty and serves the
 * {@link dev.coffer.blockstore.device.BlockDevice}s published in an
 * {@link dev.coffer.blockstore.nbd.NbdExports}, the control plane's
 * {@link dev.coffer.blockstore.device.ExportTable}.
 *
 * <p>Security: NBD carries no authentication, and TLS (NBD_OPT_STARTTLS) is not offered yet. The
 * server must therefore listen only where the host's own users can reach it: loopback by default
 * (a unix socket later), as the gateway configures it. An export exists only while its volume is
 * attached; detach withdraws it and closes its connections before the device is closed.
 *
 * <p>What clients can rely on: every export is writable and advertises FLUSH, FUA, TRIM,
 * WRITE_ZEROES and CAN_MULTI_CONN; block sizes minimum 1 (the device does read-modify-write),
 * preferred = the device's block size, maximum payload 32 MiB. Structured replies, metadata
 * contexts and block status are not offered (every client tested works without them).
 */
package dev.coffer.blockstore.nbd;

/**
 * Netty plumbing shared by every server of the gateway: the event loops (epoll where the native
 * transport loads, NIO otherwise) and binding a server port with a clear error when it fails.
 */
package dev.coffer.gateway.transport;

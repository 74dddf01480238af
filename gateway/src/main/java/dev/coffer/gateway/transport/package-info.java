/**
 * Netty plumbing shared by every server of the gateway: the event loops (epoll where the native
 * transport loads, NIO otherwise), binding a server port with a clear error when it fails, and
 * {@code send(2)} straight from a Java array for bodies produced on the heap.
 */
package dev.coffer.gateway.transport;

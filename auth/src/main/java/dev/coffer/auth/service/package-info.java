/**
 * The small interface each protocol module implements so the gateway's edge server can route to
 * it: {@link dev.coffer.auth.service.ProtocolService} with its request and response.
 */
package dev.coffer.auth.service;

/**
 * AWS Signature Version 4 verification for every protocol on the edge port: the canonical request,
 * the signing key, the Authorization header and presigned query forms. Each protocol maps
 * {@link dev.coffer.auth.sigv4.SigV4Failure} to its own error codes.
 */
package dev.coffer.auth.sigv4;

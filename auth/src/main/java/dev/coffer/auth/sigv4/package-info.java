/**
 * AWS Signature Version 4 verification for every protocol on the edge port: the canonical request,
 * the signing key, the Authorization header and presigned query forms, and the aws-chunked body
 * decoding that continues a request's signature chain over its chunks (docs/S3-PAYLOADS.md). Each
 * protocol maps {@link dev.coffer.auth.sigv4.SigV4Failure} to its own error codes.
 */
package dev.coffer.auth.sigv4;

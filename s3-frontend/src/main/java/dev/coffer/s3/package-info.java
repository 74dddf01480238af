/**
 * The S3 protocol front end: routing, one handler per operation, XML, errors, SSE semantics and the
 * object store port with its embedded engine. Empty until the S3 issue builds it.
 */
package dev.coffer.s3;

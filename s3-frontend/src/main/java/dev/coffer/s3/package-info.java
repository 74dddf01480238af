/**
 * The S3 protocol front end: routing, one handler per operation, XML, errors, SSE semantics and the
 * object store port with its embedded engine. So far only {@code checksum} exists; the rest comes
 * with the S3 issue.
 */
package dev.coffer.s3;

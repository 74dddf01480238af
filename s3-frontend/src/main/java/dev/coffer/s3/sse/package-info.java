/**
 * Server-side encryption in the S3 data path: what a request asks for (SSE-S3, SSE-KMS, SSE-C),
 * the envelope stored with each object, the key service port through which data keys come from the
 * KMS, and the bucket-key cache. Format: docs/formats/s3-sse-envelope-v1.md.
 */
package dev.coffer.s3.sse;

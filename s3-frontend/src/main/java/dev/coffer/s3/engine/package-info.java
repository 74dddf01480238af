/**
 * The object store port of the S3 front end ({@link dev.coffer.s3.engine.ObjectStore}) and its
 * embedded engine ({@link dev.coffer.s3.engine.EmbeddedObjectStore}): buckets, objects and
 * multipart uploads as opaque bytes, with RocksDB for metadata and small objects and one file per
 * large object or part. The engine knows nothing of S3's wire format, authorization or encryption;
 * the handlers validate requests, and encryption stores its envelope and ciphertext through the same
 * calls. Storage format and crash-recovery argument: {@code docs/formats/s3-engine-v1.md}.
 */
package dev.coffer.s3.engine;

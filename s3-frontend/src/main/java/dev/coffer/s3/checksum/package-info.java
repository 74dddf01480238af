/**
 * S3's additional checksums (CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256): the algorithms with their
 * header names, incremental checksums, the one-pass {@link dev.coffer.s3.checksum.S3ChecksumSet} the
 * PUT path feeds every byte through (with the MD5 for the ETag and Content-MD5), and the multipart
 * object checksums, COMPOSITE and FULL_OBJECT. Values are big-endian bytes, base64 on the wire.
 */
package dev.coffer.s3.checksum;

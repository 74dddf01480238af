/**
 * JMH microbenchmarks for the hot paths ({@code crypto}, with its paired format/raw driver;
 * {@code sigv4}, {@code nbd}, {@code engine}), and the end-to-end drivers that measure a
 * running {@code coffer serve} through real AWS SDK clients beside a reference in the same run
 * ({@code kms}: the raw HSM rate; {@code s3}: s3proxy).
 */
package dev.coffer.perf;

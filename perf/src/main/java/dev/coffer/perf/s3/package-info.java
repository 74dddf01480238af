/**
 * The S3 end-to-end benchmark: Coffer's S3 front end ({@code coffer serve --services s3,kms}) and
 * s3proxy with its filesystem backend, each its own JVM on the same disk, driven in the same run by
 * the AWS SDK v2 {@code S3AsyncClient} on the Netty client, in short interleaved rounds. Also measures
 * the disk's durable write speed with {@code dd}, the ceiling for a durable PUT.
 * {@code scripts/bench-s3.sh} runs it.
 */
package dev.coffer.perf.s3;

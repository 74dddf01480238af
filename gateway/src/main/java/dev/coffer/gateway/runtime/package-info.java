/**
 * The running gateway: prepares the data directory, creates the shared event loops, metrics and
 * health registry, starts each server, and stops them all in reverse order. This is where services
 * are composed; later issues add the S3, KMS, EC2 and NBD servers here.
 */
package dev.coffer.gateway.runtime;

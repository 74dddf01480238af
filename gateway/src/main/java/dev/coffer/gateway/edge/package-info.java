/**
 * The edge server: one HTTP port on which S3, KMS, EC2 and IAM are told apart by the SigV4
 * credential scope and handed to their protocol services.
 */
package dev.coffer.gateway.edge;

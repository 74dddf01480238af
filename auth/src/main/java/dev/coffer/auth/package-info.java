/**
 * The shared AWS-protocol base: SigV4 verification ({@link dev.coffer.auth.sigv4}), and, as the KMS
 * and S3 issues build them, identities (accounts, users, access keys), the IAM policy language with
 * its one evaluator, and the service interface each protocol module implements.
 */
package dev.coffer.auth;

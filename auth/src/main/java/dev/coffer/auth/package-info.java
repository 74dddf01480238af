/**
 * The shared AWS-protocol base: SigV4 verification, identities (accounts, users, access keys), the IAM
 * policy language with its one evaluator, and the service interface each protocol module implements.
 * Empty until the KMS and S3 issues build it.
 */
package dev.coffer.auth;

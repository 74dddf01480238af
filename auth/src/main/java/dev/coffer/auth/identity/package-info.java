/**
 * Identities: the account, IAM users, access keys (secrets stored sealed) and users' inline
 * policies, persisted in the metadata store; the SigV4 credential lookup over them.
 */
package dev.coffer.auth.identity;

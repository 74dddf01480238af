/**
 * The IAM Query API subset that lets {@code aws iam} and the AWS SDKs manage Coffer's users, their
 * access keys and their inline policies: {@link dev.coffer.auth.iam.IamService}, routed to by the
 * edge when a request's SigV4 scope names {@code iam}. The actions are
 * {@link dev.coffer.auth.iam.IamOperation}; errors are {@link dev.coffer.auth.iam.IamError},
 * thrown as {@link dev.coffer.auth.iam.IamException} and rendered once by
 * {@link dev.coffer.auth.iam.IamXmlRenderer}. State lives in the
 * {@link dev.coffer.auth.identity.IdentityStore}; see {@code docs/IAM.md} for the subset and where
 * it departs from AWS.
 */
package dev.coffer.auth.iam;

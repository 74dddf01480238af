/**
 * The one IAM policy language Coffer speaks: identity policies, S3 bucket policies and KMS key
 * policies are parsed by {@link dev.coffer.auth.policy.PolicyDocument#parse} into an immutable model
 * and evaluated by {@link dev.coffer.auth.policy.PolicyEvaluator} against a
 * {@link dev.coffer.auth.policy.RequestContext}.
 *
 * <p>The semantics follow AWS's published policy reference, cited on the classes that implement each
 * part: elements and their validation on {@link dev.coffer.auth.policy.PolicyDocument}, condition
 * logic on {@link dev.coffer.auth.policy.Condition}, policy variables on {@code PolicyTemplate}, and
 * how identity policies, resource policies and grants combine on
 * {@link dev.coffer.auth.policy.PolicyEvaluator}. Where AWS's documentation leaves a case open the
 * choice made here fails closed and is named in the Javadoc of the class that makes it.
 *
 * <p>KMS grants are not policies and are evaluated by the key service; only their verdict enters
 * {@link dev.coffer.auth.policy.PolicyEvaluator#decideKms}.
 */
package dev.coffer.auth.policy;

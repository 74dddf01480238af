package dev.coffer.auth.iam;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.User;
import dev.coffer.auth.policy.MalformedPolicyException;
import dev.coffer.auth.policy.PolicyDocument;
import dev.coffer.auth.policy.PolicyKind;
import dev.coffer.auth.sigv4.UriEncoding;
import java.util.ArrayList;
import java.util.List;

/** PutUserPolicy, GetUserPolicy, DeleteUserPolicy and ListUserPolicies: users' inline policies. */
final class UserPolicyOperations {
    private final IdentityStore identities;

    UserPolicyOperations(IdentityStore identities) {
        this.identities = identities;
    }

    /** Only a document the policy language accepts as an identity policy is stored. */
    List<IamXmlNode> putUserPolicy(IamCall call, IamRequest request) {
        String document = request.required(IamParameter.POLICY_DOCUMENT);
        try {
            PolicyDocument.parse(document, PolicyKind.IDENTITY);
        } catch (MalformedPolicyException e) {
            throw new IamException(IamError.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        identities.putUserPolicy(request.required(IamParameter.USER_NAME), request.required(IamParameter.POLICY_NAME),
                document);
        return List.of();
    }

    /** The document comes back URL-encoded (RFC 3986), as AWS returns it; the AWS CLI decodes it. */
    List<IamXmlNode> getUserPolicy(IamCall call, IamRequest request) {
        User user = identities.user(request.required(IamParameter.USER_NAME));
        String policyName = request.required(IamParameter.POLICY_NAME);
        String document = identities.getUserPolicy(user.userName(), policyName);
        return List.of(
                IamXmlNode.text("UserName", user.userName()),
                IamXmlNode.text("PolicyName", policyName),
                IamXmlNode.text("PolicyDocument", UriEncoding.encode(document, false)));
    }

    List<IamXmlNode> deleteUserPolicy(IamCall call, IamRequest request) {
        identities.deleteUserPolicy(request.required(IamParameter.USER_NAME), request.required(IamParameter.POLICY_NAME));
        return List.of();
    }

    /** Policy names in the store's order (by name), which is also the marker. */
    List<IamXmlNode> listUserPolicies(IamCall call, IamRequest request) {
        User user = identities.user(request.required(IamParameter.USER_NAME));
        IamPage<String> page = IamPage.of(identities.userPolicyNames(user.userName()), name -> name,
                request.optional(IamParameter.MARKER), request.maxItems());
        List<IamXmlNode> result = new ArrayList<>();
        result.add(IamXmlNode.textMembers("PolicyNames", page.items()));
        page.appendTrailer(result);
        return result;
    }
}

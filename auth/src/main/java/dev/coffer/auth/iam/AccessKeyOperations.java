package dev.coffer.auth.iam;

import dev.coffer.auth.identity.AccessKey;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.NewAccessKey;
import dev.coffer.auth.identity.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * CreateAccessKey, DeleteAccessKey and ListAccessKeys. Without UserName each acts on the caller's
 * own user, as in AWS. The account root's key is Coffer's configuration (the gateway installs it at
 * start), not something IAM manages: the root may not create or delete root keys through this API,
 * and listing them shows the one key the root signs with.
 */
final class AccessKeyOperations {
    private static final String ROOT_KEYS_ARE_CONFIGURATION =
            "Coffer manages the account root's access key through its configuration; "
                    + "create an IAM user and give it access keys instead.";

    private final IdentityStore identities;

    AccessKeyOperations(IdentityStore identities) {
        this.identities = identities;
    }

    /** The one place a secret access key leaves the store: the response, as a {@link IamXmlNode.Secret}. */
    List<IamXmlNode> createAccessKey(IamCall call, IamRequest request) {
        String userName = targetUser(call, request);
        NewAccessKey created = identities.createAccessKey(userName);
        AccessKey key = created.key();
        return List.of(IamXmlNode.element("AccessKey",
                IamXmlNode.text("UserName", key.userName()),
                IamXmlNode.text("AccessKeyId", key.accessKeyId()),
                IamXmlNode.text("Status", status(key)),
                new IamXmlNode.Secret("SecretAccessKey", created.secretAccessKey()),
                IamXmlNode.date("CreateDate", key.createDate())));
    }

    List<IamXmlNode> deleteAccessKey(IamCall call, IamRequest request) {
        identities.deleteAccessKey(targetUser(call, request), request.required(IamParameter.ACCESS_KEY_ID));
        return List.of();
    }

    List<IamXmlNode> listAccessKeys(IamCall call, IamRequest request) {
        List<IamXmlNode> result = new ArrayList<>();
        if (request.userName().isEmpty() && call.principal().isRoot()) {
            // The root's only key is the one that signed this request (see the class comment).
            List<List<IamXmlNode>> rootKey = List.of(List.of(
                    IamXmlNode.text("AccessKeyId", call.accessKeyId()),
                    IamXmlNode.text("Status", "Active")));
            result.add(IamXmlNode.members("AccessKeyMetadata", rootKey));
            result.add(IamXmlNode.bool("IsTruncated", false));
            return result;
        }
        List<AccessKey> keys = new ArrayList<>(identities.listAccessKeys(targetUser(call, request)));
        keys.sort(Comparator.comparing(AccessKey::accessKeyId));
        IamPage<AccessKey> page = IamPage.of(keys, AccessKey::accessKeyId, request.optional(IamParameter.MARKER),
                request.maxItems());
        result.add(IamXmlNode.members("AccessKeyMetadata", page.items().stream().map(k -> List.of(
                IamXmlNode.text("UserName", k.userName()),
                IamXmlNode.text("AccessKeyId", k.accessKeyId()),
                IamXmlNode.text("Status", status(k)),
                IamXmlNode.date("CreateDate", k.createDate()))).toList()));
        page.appendTrailer(result);
        return result;
    }

    /** The named user, or the calling user; the root without a name is refused. */
    private static String targetUser(IamCall call, IamRequest request) {
        Optional<String> named = request.userName();
        if (named.isPresent()) {
            return named.get();
        }
        if (call.principal() instanceof Principal.User user) {
            return user.userName();
        }
        throw new IamException(IamError.ACCESS_DENIED, ROOT_KEYS_ARE_CONFIGURATION);
    }

    private static String status(AccessKey key) {
        return key.active() ? "Active" : "Inactive";
    }
}

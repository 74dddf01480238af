package dev.coffer.auth.iam;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.identity.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** CreateUser, DeleteUser, ListUsers and GetUser. */
final class UserOperations {
    private final IdentityStore identities;

    UserOperations(IdentityStore identities) {
        this.identities = identities;
    }

    List<IamXmlNode> createUser(IamCall call, IamRequest request) {
        User user = identities.createUser(request.required(IamParameter.NEW_USER_NAME),
                request.optional(IamParameter.PATH).orElse(null));
        return List.of(userNode(user));
    }

    List<IamXmlNode> deleteUser(IamCall call, IamRequest request) {
        identities.deleteUser(request.required(IamParameter.USER_NAME));
        return List.of();
    }

    /** Users are listed in the store's order: their names ignoring case, which is also the marker. */
    List<IamXmlNode> listUsers(IamCall call, IamRequest request) {
        int maxItems = request.maxItems();
        // One more than asked tells whether the listing is truncated.
        List<User> users = identities.listUsers(request.optional(IamParameter.PATH_PREFIX).orElse(null),
                request.optional(IamParameter.MARKER).orElse(null), maxItems + 1);
        IamPage<User> page = IamPage.of(users, u -> u.userName().toLowerCase(Locale.ROOT), Optional.empty(), maxItems);
        List<IamXmlNode> result = new ArrayList<>();
        result.add(IamXmlNode.members("Users", page.items().stream().map(this::userFields).toList()));
        page.appendTrailer(result);
        return result;
    }

    /**
     * A named user, or the caller. The account root has no user: it gets AWS's root shape, its ARN
     * and the account id as UserId, without Path, UserName and CreateDate (Coffer does not record
     * when the account was created).
     */
    List<IamXmlNode> getUser(IamCall call, IamRequest request) {
        Optional<String> named = request.optional(IamParameter.USER_NAME);
        if (named.isEmpty() && call.principal() instanceof Principal.Root root) {
            return List.of(IamXmlNode.element("User",
                    IamXmlNode.text("UserId", root.principalId()),
                    IamXmlNode.text("Arn", root.arn())));
        }
        return List.of(userNode(identities.user(named.orElseGet(() -> call.principal().userName()))));
    }

    private IamXmlNode userNode(User user) {
        return IamXmlNode.element("User", userFields(user));
    }

    private List<IamXmlNode> userFields(User user) {
        return List.of(
                IamXmlNode.text("Path", user.path()),
                IamXmlNode.text("UserName", user.userName()),
                IamXmlNode.text("UserId", user.userId()),
                IamXmlNode.text("Arn", user.principal(identities.account()).arn()),
                IamXmlNode.date("CreateDate", user.createDate()));
    }
}

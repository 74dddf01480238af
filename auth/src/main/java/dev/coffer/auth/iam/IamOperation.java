package dev.coffer.auth.iam;

import static dev.coffer.auth.iam.IamParameter.ACCESS_KEY_ID;
import static dev.coffer.auth.iam.IamParameter.MARKER;
import static dev.coffer.auth.iam.IamParameter.MAX_ITEMS;
import static dev.coffer.auth.iam.IamParameter.NEW_USER_NAME;
import static dev.coffer.auth.iam.IamParameter.PATH;
import static dev.coffer.auth.iam.IamParameter.PATH_PREFIX;
import static dev.coffer.auth.iam.IamParameter.POLICY_DOCUMENT;
import static dev.coffer.auth.iam.IamParameter.POLICY_NAME;
import static dev.coffer.auth.iam.IamParameter.USER_NAME;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every IAM action Coffer serves, by its AWS name ({@code Action=<name>}), with the parameters it
 * takes and the resource its {@code iam:<name>} permission is checked on. The route table in
 * {@link IamService} maps each to its one handler.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html">IAM actions</a>
 */
public enum IamOperation {
    CreateUser(true, Resource.NEW_USER, List.of(NEW_USER_NAME), List.of(PATH)),
    DeleteUser(false, Resource.NAMED_USER, List.of(USER_NAME), List.of()),
    ListUsers(true, Resource.ANY, List.of(), List.of(PATH_PREFIX, MARKER, MAX_ITEMS)),
    GetUser(true, Resource.NAMED_USER_OR_CALLER, List.of(), List.of(USER_NAME)),
    CreateAccessKey(true, Resource.NAMED_USER_OR_CALLER, List.of(), List.of(USER_NAME)),
    DeleteAccessKey(false, Resource.NAMED_USER_OR_CALLER, List.of(ACCESS_KEY_ID), List.of(USER_NAME)),
    ListAccessKeys(true, Resource.NAMED_USER_OR_CALLER, List.of(), List.of(USER_NAME, MARKER, MAX_ITEMS)),
    PutUserPolicy(false, Resource.NAMED_USER, List.of(USER_NAME, POLICY_NAME, POLICY_DOCUMENT), List.of()),
    GetUserPolicy(true, Resource.NAMED_USER, List.of(USER_NAME, POLICY_NAME), List.of()),
    DeleteUserPolicy(false, Resource.NAMED_USER, List.of(USER_NAME, POLICY_NAME), List.of()),
    ListUserPolicies(true, Resource.NAMED_USER, List.of(USER_NAME), List.of(MARKER, MAX_ITEMS));

    /** The API version every request names (or leaves out). */
    public static final String API_VERSION = "2010-05-08";

    /** Which resource ARN an action's permission is checked on. */
    enum Resource {
        /** {@code *}: the action names no user (ListUsers). */
        ANY,
        /** The user about to be created, at the requested Path. */
        NEW_USER,
        /** The user named by UserName (at its stored path and spelling, if it exists). */
        NAMED_USER,
        /** The user named by UserName, or the caller itself when UserName is absent. */
        NAMED_USER_OR_CALLER
    }

    private static final Map<String, IamOperation> BY_NAME = new HashMap<>();

    static {
        for (IamOperation op : values()) {
            BY_NAME.put(op.name(), op);
        }
    }

    private final boolean hasResult;
    private final Resource resource;
    private final List<IamParameter> required;
    private final List<IamParameter> optional;

    IamOperation(boolean hasResult, Resource resource, List<IamParameter> required, List<IamParameter> optional) {
        this.hasResult = hasResult;
        this.resource = resource;
        this.required = required;
        this.optional = optional;
    }

    /** Whether the response has a {@code <NameResult>} element (the Delete and Put actions have none). */
    public boolean hasResult() {
        return hasResult;
    }

    Resource resource() {
        return resource;
    }

    /** The parameters the action cannot do without. */
    public List<IamParameter> required() {
        return required;
    }

    public List<IamParameter> optional() {
        return optional;
    }

    /** The IAM action, e.g. {@code iam:CreateUser}. */
    public String action() {
        return "iam:" + name();
    }

    /** The action with this exact (case-sensitive) name, or null. */
    public static IamOperation byName(String name) {
        return BY_NAME.get(name);
    }
}

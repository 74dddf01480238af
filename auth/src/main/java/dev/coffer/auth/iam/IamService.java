package dev.coffer.auth.iam;

import dev.coffer.auth.identity.IdentityException;
import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.sigv4.CanonicalRequest;
import dev.coffer.auth.sigv4.SigV4Exception;
import dev.coffer.auth.sigv4.SigV4Failure;
import dev.coffer.auth.sigv4.SigV4Request;
import dev.coffer.auth.sigv4.SigV4Verified;
import dev.coffer.auth.sigv4.SigV4Verifier;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The IAM Query API on the edge port, for the subset that manages users, their access keys and
 * their inline policies ({@link IamOperation}): {@code POST /} with a form body
 * {@code Action=CreateUser&Version=2010-05-08&UserName=...} (or the same parameters in the query
 * string), SigV4 with service {@code iam}, XML responses in the IAM namespace, and errors as
 * {@code <ErrorResponse>}. Thread-safe.
 *
 * <p>Each request goes through the same steps: authenticate, read and validate the action's
 * parameters, authorize {@code iam:<Action>} on the target user's ARN with the caller's identity
 * policies, run the action's handler, render. Handlers throw {@link IamException} (or the identity
 * store's {@link IdentityException}); only this class renders, through {@link IamXmlRenderer}.
 */
public final class IamService implements ProtocolService {
    private static final System.Logger LOG = System.getLogger(IamService.class.getName());
    /** Where AWS's global IAM endpoint signs; SDKs pointed at Coffer may sign for it instead of the gateway's region. */
    private static final String GLOBAL_SIGNING_REGION = "us-east-1";

    /** One action's handler: returns the children of its {@code <ActionResult>} element. */
    @FunctionalInterface
    interface Handler {
        List<IamXmlNode> handle(IamCall call, IamRequest request);
    }

    private final IdentityStore identities;
    private final IamConfig config;
    private final SigV4Verifier<Principal> verifier;
    private final SigV4Verifier<Principal> globalVerifier;
    private final IamAuthorizer authorizer;
    private final Map<IamOperation, Handler> routes = new EnumMap<>(IamOperation.class);

    /**
     * @param identities the users, access keys and policies this API manages; also where request
     *     signatures' access keys are looked up
     * @param clock the clock SigV4 clock skew is judged by
     */
    public IamService(IdentityStore identities, IamConfig config, Clock clock) {
        this.identities = Objects.requireNonNull(identities, "identities");
        this.config = Objects.requireNonNull(config, "config");
        this.verifier = new SigV4Verifier<>(identities, config.region(), clock);
        this.globalVerifier = config.region().equals(GLOBAL_SIGNING_REGION) ? null
                : new SigV4Verifier<>(identities, GLOBAL_SIGNING_REGION, clock);
        this.authorizer = new IamAuthorizer(identities);
        UserOperations users = new UserOperations(identities);
        AccessKeyOperations accessKeys = new AccessKeyOperations(identities);
        UserPolicyOperations policies = new UserPolicyOperations(identities);
        route(IamOperation.CreateUser, users::createUser);
        route(IamOperation.DeleteUser, users::deleteUser);
        route(IamOperation.ListUsers, users::listUsers);
        route(IamOperation.GetUser, users::getUser);
        route(IamOperation.CreateAccessKey, accessKeys::createAccessKey);
        route(IamOperation.DeleteAccessKey, accessKeys::deleteAccessKey);
        route(IamOperation.ListAccessKeys, accessKeys::listAccessKeys);
        route(IamOperation.PutUserPolicy, policies::putUserPolicy);
        route(IamOperation.GetUserPolicy, policies::getUserPolicy);
        route(IamOperation.DeleteUserPolicy, policies::deleteUserPolicy);
        route(IamOperation.ListUserPolicies, policies::listUserPolicies);
        for (IamOperation op : IamOperation.values()) {
            if (!routes.containsKey(op)) {
                throw new IllegalStateException("no handler for " + op);
            }
        }
    }

    private void route(IamOperation op, Handler handler) {
        routes.put(op, handler);
    }

    @Override
    public String signingName() {
        return "iam";
    }

    @Override
    public int maxRequestBodyBytes() {
        return config.maxRequestBodyBytes();
    }

    @Override
    public Duration timeout() {
        return config.requestTimeout();
    }

    @Override
    public ServiceResponse handle(ServiceRequest request) {
        String requestId = request.requestId();
        if (!request.method().equals("POST") && !request.method().equals("GET")) {
            return IamXmlRenderer.error(requestId, IamError.INVALID_ACTION, "Only GET and POST are accepted.");
        }
        SigV4Verified<Principal> verified;
        try {
            verified = authenticate(request);
        } catch (SigV4Exception e) {
            return authenticationError(requestId, e);
        }
        IamCall call = new IamCall(requestId, verified.principal(), verified.accessKeyId(), request.sourceIp(),
                request.secureTransport(), request.receivedAt());
        IamOperation op = null;
        List<IamXmlNode> result = List.of();
        try {
            Map<String, String> parameters = IamRequest.parameters(request);
            op = operation(parameters);
            IamRequest iamRequest = IamRequest.of(op, parameters);
            authorizer.authorize(call, op.action(), resource(call, iamRequest));
            result = routes.get(op).handle(call, iamRequest);
            return IamXmlRenderer.success(requestId, op, result);
        } catch (IamException e) {
            return IamXmlRenderer.error(requestId, e.error(), e.getMessage());
        } catch (IdentityException e) {
            return IamXmlRenderer.error(requestId, error(e.kind()), e.getMessage());
        } catch (RuntimeException e) {
            IamOperation failed = op;
            LOG.log(Level.ERROR, () -> "IAM " + failed + " failed (request " + requestId + ")", e);
            return internalError(requestId);
        } finally {
            IamXmlNode.destroySecrets(result);
        }
    }

    /** Verifies the signature for the gateway's region, or for IAM's global signing region. */
    private SigV4Verified<Principal> authenticate(ServiceRequest request) throws SigV4Exception {
        SigV4Request signed = new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), request.headers(),
                CanonicalRequest.sha256Hex(request.body()));
        SigV4Verified<Principal> verified;
        try {
            verified = verifier.verify(signed, signingName(), CanonicalRequest.PathStyle.NORMALIZED);
        } catch (SigV4Exception e) {
            if (e.failure() != SigV4Failure.WRONG_REGION || globalVerifier == null) {
                throw e;
            }
            try {
                verified = globalVerifier.verify(signed, signingName(), CanonicalRequest.PathStyle.NORMALIZED);
            } catch (SigV4Exception global) {
                // Neither region: name the gateway's own region, not the fallback, as the one expected.
                throw global.failure() == SigV4Failure.WRONG_REGION ? e : global;
            }
        }
        verified.signingKey().destroy();
        return verified;
    }

    private static IamOperation operation(Map<String, String> parameters) {
        String action = parameters.get("Action");
        if (action == null || action.isEmpty()) {
            throw new IamException(IamError.INVALID_ACTION, "The request has no Action parameter.");
        }
        String version = parameters.getOrDefault("Version", IamOperation.API_VERSION);
        IamOperation op = IamOperation.byName(action);
        if (op == null || !version.equals(IamOperation.API_VERSION)) {
            throw new IamException(IamError.INVALID_ACTION, "Could not find operation " + action + " for version " + version);
        }
        return op;
    }

    /**
     * The ARN the action's permission is checked on. An existing user is named by its stored ARN
     * (its path, and its name as created), since ARN patterns in policies match case-sensitively and
     * IAM user names do not: {@code UserName=ALICE} must not slip past a Deny on {@code user/alice}.
     * A user that does not exist is named at path {@code /}, so that a caller who may not act on it
     * learns AccessDenied, not whether it exists.
     */
    private String resource(IamCall call, IamRequest request) {
        return switch (request.operation().resource()) {
            case ANY -> "*";
            case NEW_USER -> userArn(request.optional(IamParameter.PATH).orElse("/"), request.required(IamParameter.NEW_USER_NAME));
            case NAMED_USER -> existingUserArn(request.required(IamParameter.USER_NAME));
            case NAMED_USER_OR_CALLER -> request.userName().map(this::existingUserArn).orElseGet(() -> call.principal().arn());
        };
    }

    private String existingUserArn(String userName) {
        return identities.findUser(userName).map(u -> userArn(u.path(), u.userName())).orElseGet(() -> userArn("/", userName));
    }

    private String userArn(String path, String userName) {
        return "arn:aws:iam::" + identities.account().value() + ":user" + path + userName;
    }

    private ServiceResponse authenticationError(String requestId, SigV4Exception e) {
        return switch (e.failure()) {
            case MISSING_AUTHENTICATION -> IamXmlRenderer.error(requestId, IamError.MISSING_AUTHENTICATION_TOKEN,
                    "Request is missing Authentication Token");
            case INVALID_ACCESS_KEY_ID -> IamXmlRenderer.error(requestId, IamError.INVALID_CLIENT_TOKEN_ID,
                    "The security token included in the request is invalid.");
            case SIGNATURE_DOES_NOT_MATCH -> IamXmlRenderer.error(requestId, IamError.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                            + "Access Key and signing method. Consult the service documentation for details.");
            case REQUEST_TIME_TOO_SKEWED, EXPIRED -> IamXmlRenderer.error(requestId, IamError.REQUEST_EXPIRED,
                    "Request has expired: " + e.getMessage());
            case WRONG_REGION -> IamXmlRenderer.error(requestId, IamError.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to a valid region. " + e.getMessage());
            case WRONG_SERVICE -> IamXmlRenderer.error(requestId, IamError.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to correct service: 'iam'.");
            case WRONG_SCOPE_DATE -> IamXmlRenderer.error(requestId, IamError.SIGNATURE_DOES_NOT_MATCH, e.getMessage());
            case UNSUPPORTED_ALGORITHM, MALFORMED_AUTHORIZATION, MISSING_DATE, INVALID_EXPIRES, HOST_NOT_SIGNED ->
                    IamXmlRenderer.error(requestId, IamError.INCOMPLETE_SIGNATURE, e.getMessage());
        };
    }

    private static IamError error(IdentityException.Kind kind) {
        return switch (kind) {
            case ENTITY_ALREADY_EXISTS -> IamError.ENTITY_ALREADY_EXISTS;
            case NO_SUCH_ENTITY -> IamError.NO_SUCH_ENTITY;
            case DELETE_CONFLICT -> IamError.DELETE_CONFLICT;
            case LIMIT_EXCEEDED -> IamError.LIMIT_EXCEEDED;
            case VALIDATION_ERROR -> IamError.VALIDATION_ERROR;
            case MALFORMED_POLICY_DOCUMENT -> IamError.MALFORMED_POLICY_DOCUMENT;
        };
    }

    @Override
    public ServiceResponse requestTooLarge(String requestId) {
        return IamXmlRenderer.error(requestId, IamError.REQUEST_ENTITY_TOO_LARGE,
                "Request body larger than " + maxRequestBodyBytes() + " bytes.");
    }

    @Override
    public ServiceResponse internalError(String requestId) {
        return IamXmlRenderer.error(requestId, IamError.SERVICE_FAILURE,
                "An internal error occurred. Request ID: " + requestId);
    }
}

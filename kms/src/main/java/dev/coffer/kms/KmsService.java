package dev.coffer.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.sigv4.CanonicalRequest;
import dev.coffer.auth.sigv4.CredentialLookup;
import dev.coffer.auth.sigv4.SigV4Exception;
import dev.coffer.auth.sigv4.SigV4Request;
import dev.coffer.auth.sigv4.SigV4Verified;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.kms.core.KmsKeyStore;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.ops.AliasOperations;
import dev.coffer.kms.ops.CryptoOperations;
import dev.coffer.kms.ops.GrantOperations;
import dev.coffer.kms.ops.ImportOperations;
import dev.coffer.kms.ops.KeyOperations;
import dev.coffer.kms.ops.PolicyOperations;
import dev.coffer.kms.ops.RotationOperations;
import dev.coffer.kms.ops.TagOperations;
import dev.coffer.kms.ops.Trace;
import dev.coffer.kms.wire.KmsAuditParameters;
import dev.coffer.kms.wire.KmsRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS on the edge port: AWS JSON 1.1 ({@code POST /}, {@code X-Amz-Target: TrentService.<Op>}),
 * SigV4 with service {@code kms}, one route per operation, errors as {@code {"__type","message"}},
 * and one audit record per authenticated call. Thread-safe.
 */
public final class KmsService implements ProtocolService {
    private static final Logger LOG = LoggerFactory.getLogger(KmsService.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "TrentService.";
    /**
     * Set by a Coffer service calling on behalf of its requester: the service's short name and the
     * requester's access key id. Honoured only when the signer is that service's own credential and
     * both headers are signed; anyone else sending them is refused.
     */
    public static final String VIA_SERVICE_HEADER = "X-Coffer-Via-Service";
    public static final String REQUESTER_HEADER = "X-Coffer-Requester-Access-Key";

    /** One operation's handler. */
    @FunctionalInterface
    interface Handler {
        ObjectNode handle(KmsCall call, KmsRequest request, Trace trace);
    }

    private final KmsContext ctx;
    private final SigV4Verifier<Principal> verifier;
    private final CredentialLookup<Principal> credentials;
    private final KmsAuditor auditor;
    private final RequestRateLimiter rateLimiter;
    private final Map<KmsOperation, Handler> routes = new EnumMap<>(KmsOperation.class);
    private final KeyOperations keyOperations;
    private final RotationOperations rotationOperations;
    private final ImportOperations importOperations;

    /**
     * @param account the account this KMS serves
     * @param keyClock the clock of key lifecycles (rotation, deletion windows, import expiry); tests
     *     move it to pass years in a millisecond
     * @param requestClock the wall clock SigV4 checks request times against
     */
    public KmsService(KmsConfig config, String account, KmsKeyStore store, Hsm hsm, KmsAuthorizer authorizer,
                      Clock keyClock, Clock requestClock, SecureRandom random, CredentialLookup<Principal> credentials,
                      KmsAuditor auditor) {
        // The resolver creates AWS managed keys on first use through KeyOperations, which needs the context.
        KeyOperations[] creator = new KeyOperations[1];
        this.ctx = new KmsContext(config, account, store, hsm, authorizer, keyClock, random,
                alias -> creator[0].createAwsManagedKey(alias));
        this.verifier = new SigV4Verifier<>(credentials, ctx.region(), requestClock);
        this.credentials = credentials;
        this.auditor = auditor;
        this.rateLimiter = new RequestRateLimiter(ctx.config().requestsPerSecond(), requestClock);
        this.keyOperations = new KeyOperations(ctx);
        creator[0] = keyOperations;
        this.rotationOperations = new RotationOperations(ctx, keyOperations);
        this.importOperations = new ImportOperations(ctx);
        CryptoOperations crypto = new CryptoOperations(ctx);
        AliasOperations aliases = new AliasOperations(ctx);
        PolicyOperations policies = new PolicyOperations(ctx);
        GrantOperations grants = new GrantOperations(ctx);
        TagOperations tags = new TagOperations(ctx);
        route(KmsOperation.CreateKey, keyOperations::createKey);
        route(KmsOperation.DescribeKey, keyOperations::describeKey);
        route(KmsOperation.ListKeys, keyOperations::listKeys);
        route(KmsOperation.EnableKey, keyOperations::enableKey);
        route(KmsOperation.DisableKey, keyOperations::disableKey);
        route(KmsOperation.ScheduleKeyDeletion, keyOperations::scheduleKeyDeletion);
        route(KmsOperation.CancelKeyDeletion, keyOperations::cancelKeyDeletion);
        route(KmsOperation.UpdateKeyDescription, keyOperations::updateKeyDescription);
        route(KmsOperation.CreateAlias, aliases::createAlias);
        route(KmsOperation.UpdateAlias, aliases::updateAlias);
        route(KmsOperation.DeleteAlias, aliases::deleteAlias);
        route(KmsOperation.ListAliases, aliases::listAliases);
        route(KmsOperation.Encrypt, crypto::encrypt);
        route(KmsOperation.Decrypt, crypto::decrypt);
        route(KmsOperation.ReEncrypt, crypto::reEncrypt);
        route(KmsOperation.GenerateDataKey, crypto::generateDataKey);
        route(KmsOperation.GenerateDataKeyWithoutPlaintext, crypto::generateDataKeyWithoutPlaintext);
        route(KmsOperation.GenerateRandom, crypto::generateRandom);
        route(KmsOperation.EnableKeyRotation, rotationOperations::enableKeyRotation);
        route(KmsOperation.DisableKeyRotation, rotationOperations::disableKeyRotation);
        route(KmsOperation.GetKeyRotationStatus, rotationOperations::getKeyRotationStatus);
        route(KmsOperation.RotateKeyOnDemand, rotationOperations::rotateKeyOnDemand);
        route(KmsOperation.ListKeyRotations, rotationOperations::listKeyRotations);
        route(KmsOperation.GetKeyPolicy, policies::getKeyPolicy);
        route(KmsOperation.PutKeyPolicy, policies::putKeyPolicy);
        route(KmsOperation.ListKeyPolicies, policies::listKeyPolicies);
        route(KmsOperation.CreateGrant, grants::createGrant);
        route(KmsOperation.ListGrants, grants::listGrants);
        route(KmsOperation.RetireGrant, grants::retireGrant);
        route(KmsOperation.RevokeGrant, grants::revokeGrant);
        route(KmsOperation.ListRetirableGrants, grants::listRetirableGrants);
        route(KmsOperation.TagResource, tags::tagResource);
        route(KmsOperation.UntagResource, tags::untagResource);
        route(KmsOperation.ListResourceTags, tags::listResourceTags);
        route(KmsOperation.GetParametersForImport, importOperations::getParametersForImport);
        route(KmsOperation.ImportKeyMaterial, importOperations::importKeyMaterial);
        route(KmsOperation.DeleteImportedKeyMaterial, importOperations::deleteImportedKeyMaterial);
        for (KmsOperation op : KmsOperation.values()) {
            if (!routes.containsKey(op)) {
                throw new IllegalStateException("no handler for " + op);
            }
        }
    }

    private void route(KmsOperation op, Handler handler) {
        routes.put(op, handler);
    }

    /** Key lifecycle events that happen with time (rotation, deletion, expiry). */
    public KeyMaintenance maintenance() {
        return new KeyMaintenance(ctx, rotationOperations, importOperations, auditor);
    }


    @Override
    public String signingName() {
        return "kms";
    }

    @Override
    public int maxRequestBodyBytes() {
        return ctx.config().maxRequestBodyBytes();
    }

    @Override
    public Duration timeout() {
        return ctx.config().requestTimeout();
    }

    @Override
    public ServiceResponse handle(ServiceRequest request) {
        String requestId = request.requestId();
        if (!request.method().equals("POST")) {
            return error(requestId, KmsError.UNKNOWN_OPERATION, "Only POST is accepted.");
        }
        String target = request.header("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return error(requestId, KmsError.UNKNOWN_OPERATION, "Missing or invalid X-Amz-Target header.");
        }
        String operationName = target.substring(TARGET_PREFIX.length());

        SigV4Verified<Principal> verified;
        try {
            verified = verifier.verify(new SigV4Request(request.method(), request.rawPath(),
                    request.rawQuery(), request.headers(), CanonicalRequest.sha256Hex(request.body())), "kms",
                    CanonicalRequest.PathStyle.NORMALIZED);
            verified.signingKey().destroy();
        } catch (SigV4Exception e) {
            return authenticationError(requestId, e);
        }
        KmsCall call;
        try {
            call = caller(request, verified);
        } catch (KmsException e) {
            return error(requestId, e.error(), e.getMessage());
        }

        KmsOperation op = KmsOperation.byName(operationName);
        if (op == null) {
            return KmsOperation.NOT_SUPPORTED.contains(operationName)
                    ? error(requestId, KmsError.UNSUPPORTED_OPERATION, operationName + " is not supported by Coffer KMS.")
                    : error(requestId, KmsError.UNKNOWN_OPERATION, "Unknown operation " + operationName + ".");
        }
        ObjectNode body;
        try {
            JsonNode parsed = request.body().length == 0 ? KmsContext.JSON.createObjectNode()
                    : KmsContext.JSON.readTree(request.body());
            if (!(parsed instanceof ObjectNode o)) {
                return error(requestId, KmsError.SERIALIZATION, "The request body must be a JSON object.");
            }
            body = o;
        } catch (IOException e) {
            return error(requestId, KmsError.SERIALIZATION, "The request body is not valid JSON.");
        }
        return dispatch(call, op, body);
    }

    /**
     * Who the call is for: the signer, or, when one of Coffer's services signed it with the
     * on-behalf-of headers, the requester it serves (evaluated with kms:ViaService set).
     */
    private KmsCall caller(ServiceRequest request, SigV4Verified<Principal> verified) {
        String via = request.header(VIA_SERVICE_HEADER);
        String requester = request.header(REQUESTER_HEADER);
        Principal signer = verified.principal();
        if (via == null && requester == null) {
            return new KmsCall(request.requestId(), signer, verified.accessKeyId(), request.sourceIp(),
                    request.header("User-Agent"), request.secureTransport(), null, request.receivedAt());
        }
        if (!(signer instanceof Principal.Service service) || via == null || requester == null
                || !service.serviceName().equals(via) || !verified.signed(VIA_SERVICE_HEADER) || !verified.signed(REQUESTER_HEADER)) {
            throw new KmsException(KmsError.ACCESS_DENIED, "User: " + signer.arn()
                    + " is not authorized to act on behalf of another principal");
        }
        Principal onBehalfOf = credentials.find(requester).map(c -> c.principal())
                .filter(p -> !(p instanceof Principal.Service))
                .orElseThrow(() -> new KmsException(KmsError.ACCESS_DENIED, "The requester's access key is not valid."));
        return new KmsCall(request.requestId(), onBehalfOf, requester, request.sourceIp(), request.header("User-Agent"),
                request.secureTransport(), via + "." + ctx.region() + ".amazonaws.com", request.receivedAt());
    }

    private ServiceResponse dispatch(KmsCall call, KmsOperation op, ObjectNode body) {
        Trace trace = new Trace();
        KmsRequest request = new KmsRequest(body);
        ObjectNode response = null;
        KmsError error = null;
        String errorMessage = null;
        try {
            if (isCryptographic(op) && !rateLimiter.tryAcquire(call.principal().account().value())) {
                throw new KmsException(KmsError.THROTTLING, "Rate exceeded");
            }
            response = routes.get(op).handle(call, request, trace);
        } catch (KmsException e) {
            error = e.error();
            errorMessage = e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("KMS {} failed (request {})", op, call.requestId(), e);
            error = KmsError.INTERNAL;
            errorMessage = "internal error";
        }
        try {
            auditor.apiCall(call, op.name(), op.readOnly(), KmsAuditParameters.requestParameters(request),
                    response == null ? null : KmsAuditParameters.responseElements(op, response), trace, error, errorMessage);
        } catch (RuntimeException e) {
            // An unrecorded key use must not look like a success to the caller.
            LOG.error("KMS {} could not be audited (request {})", op, call.requestId(), e);
            return internalError(call.requestId());
        }
        if (error == KmsError.INTERNAL) {
            return internalError(call.requestId());
        }
        return error != null ? error(call.requestId(), error, errorMessage) : ok(call.requestId(), response);
    }

    private static boolean isCryptographic(KmsOperation op) {
        return switch (op) {
            case Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom -> true;
            default -> false;
        };
    }

    private ServiceResponse authenticationError(String requestId, SigV4Exception e) {
        return switch (e.failure()) {
            case MISSING_AUTHENTICATION -> error(requestId, KmsError.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
            case INVALID_ACCESS_KEY_ID -> error(requestId, KmsError.UNRECOGNIZED_CLIENT,
                    "The security token included in the request is invalid.");
            case SIGNATURE_DOES_NOT_MATCH -> error(requestId, KmsError.INVALID_SIGNATURE,
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                            + "Access Key and signing method. Consult the service documentation for details.");
            case REQUEST_TIME_TOO_SKEWED, EXPIRED -> error(requestId, KmsError.INVALID_SIGNATURE, "Signature expired: " + e.getMessage());
            case WRONG_REGION -> error(requestId, KmsError.INVALID_SIGNATURE,
                    "Credential should be scoped to a valid region. " + e.getMessage());
            case WRONG_SERVICE -> error(requestId, KmsError.INVALID_SIGNATURE,
                    "Credential should be scoped to correct service: 'kms'.");
            default -> error(requestId, KmsError.INCOMPLETE_SIGNATURE, e.getMessage());
        };
    }

    @Override
    public ServiceResponse requestTooLarge(String requestId) {
        return error(requestId, KmsError.REQUEST_TOO_LARGE, "Request body larger than " + maxRequestBodyBytes() + " bytes.");
    }

    @Override
    public ServiceResponse internalError(String requestId) {
        return error(requestId, KmsError.INTERNAL, "An internal error occurred. Request ID: " + requestId);
    }

    private static ServiceResponse ok(String requestId, ObjectNode body) {
        return new ServiceResponse(200, List.of(Map.entry("Content-Type", CONTENT_TYPE), Map.entry("x-amzn-RequestId", requestId)),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static ServiceResponse error(String requestId, KmsError error, String message) {
        ObjectNode body = KmsContext.JSON.createObjectNode();
        body.put("__type", error.wireName());
        body.put("message", message);
        return new ServiceResponse(error.httpStatus(), List.of(Map.entry("Content-Type", CONTENT_TYPE),
                Map.entry("x-amzn-RequestId", requestId), Map.entry("x-amzn-ErrorType", error.wireName())),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }
}

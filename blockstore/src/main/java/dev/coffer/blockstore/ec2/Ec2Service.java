package dev.coffer.blockstore.ec2;

import dev.coffer.auth.identity.IdentityStore;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.auth.sigv4.CanonicalRequest;
import dev.coffer.auth.sigv4.SigV4Exception;
import dev.coffer.auth.sigv4.SigV4Request;
import dev.coffer.auth.sigv4.SigV4Verified;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.blockstore.device.ExportTable;
import dev.coffer.blockstore.engine.VolumeStore;
import dev.coffer.blockstore.keys.VolumeKeyService;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The EC2 Query API for EBS-style volumes on the edge port ({@link Ec2Operation}): {@code POST /}
 * with a form body {@code Action=CreateVolume&Version=2016-11-15&...} (or the same parameters in the
 * query string), SigV4 with service {@code ec2}, XML responses in the EC2 namespace, errors as
 * {@code <Response><Errors><Error>}. Thread-safe.
 *
 * <p>Each request goes through the same steps: authenticate, read the parameters, find the action,
 * run its handler, which validates, authorizes {@code ec2:<Action>} on the resources it touches
 * (where DryRun stops), and acts; render. Handlers throw {@link Ec2Exception}; only this class
 * renders, through {@link Ec2XmlRenderer}.
 *
 * <p>State lives in the volume store's record table (versioned JSON), so volumes, snapshots,
 * attachments and account settings survive a restart: {@link #open} resumes what a restart
 * interrupted (see {@link Ec2Recovery}) and re-publishes attached volumes.
 */
public final class Ec2Service implements ProtocolService, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Ec2Service.class.getName());

    /** One action's handler: returns the members of its response element. */
    @FunctionalInterface
    interface Handler {
        List<Ec2XmlNode> handle(Ec2Request request);
    }

    private final Ec2Config config;
    private final SigV4Verifier<Principal> verifier;
    private final Ec2Authorizer authorizer;
    private final Ec2Context ctx;
    private final Map<Ec2Operation, Handler> routes = new EnumMap<>(Ec2Operation.class);

    private Ec2Service(Ec2Context ctx, IdentityStore identities, Clock clock) {
        this.ctx = ctx;
        this.config = ctx.config;
        this.verifier = new SigV4Verifier<>(identities, config.region(), clock);
        this.authorizer = new Ec2Authorizer(identities, config.region());
        VolumeOperations volumes = new VolumeOperations(ctx);
        SnapshotOperations snapshots = new SnapshotOperations(ctx);
        AttachmentOperations attachments = new AttachmentOperations(ctx);
        EncryptionDefaultOperations defaults = new EncryptionDefaultOperations(ctx);
        TagOperations tags = new TagOperations(ctx);
        routes.put(Ec2Operation.CreateVolume, volumes::createVolume);
        routes.put(Ec2Operation.DescribeVolumes, volumes::describeVolumes);
        routes.put(Ec2Operation.DeleteVolume, volumes::deleteVolume);
        routes.put(Ec2Operation.ModifyVolume, volumes::modifyVolume);
        routes.put(Ec2Operation.CreateSnapshot, snapshots::createSnapshot);
        routes.put(Ec2Operation.DescribeSnapshots, snapshots::describeSnapshots);
        routes.put(Ec2Operation.DeleteSnapshot, snapshots::deleteSnapshot);
        routes.put(Ec2Operation.CopySnapshot, snapshots::copySnapshot);
        routes.put(Ec2Operation.AttachVolume, attachments::attachVolume);
        routes.put(Ec2Operation.DetachVolume, attachments::detachVolume);
        routes.put(Ec2Operation.EnableEbsEncryptionByDefault, defaults::enable);
        routes.put(Ec2Operation.DisableEbsEncryptionByDefault, defaults::disable);
        routes.put(Ec2Operation.GetEbsEncryptionByDefault, defaults::get);
        routes.put(Ec2Operation.GetEbsDefaultKmsKeyId, defaults::getDefaultKey);
        routes.put(Ec2Operation.ModifyEbsDefaultKmsKeyId, defaults::modifyDefaultKey);
        routes.put(Ec2Operation.ResetEbsDefaultKmsKeyId, defaults::resetDefaultKey);
        routes.put(Ec2Operation.CreateTags, tags::createTags);
        routes.put(Ec2Operation.DeleteTags, tags::deleteTags);
        for (Ec2Operation op : Ec2Operation.values()) {
            if (!routes.containsKey(op)) {
                throw new IllegalStateException("no handler for " + op);
            }
        }
    }

    /**
     * Opens the EC2 API over a volume store. Call {@link #recover()} next, once the KMS answers: it
     * finishes what a restart interrupted and re-publishes attached volumes, which needs the KMS
     * (a gateway's embedded KMS listens on the edge port, which binds after this service is built).
     *
     * @param store the volume engine; its record table holds the control plane's records
     * @param keys the KMS as EBS uses it
     * @param exports where attached volumes are published (the NBD server's export table)
     * @param identities where request signatures' access keys and callers' policies are looked up
     * @param clock SigV4 clock skew, and the times in records
     * @param background runs snapshot copies and re-encrypting volume creations; should be bounded
     *     (a rejected task is answered RequestLimitExceeded); not shut down by this service
     */
    public static Ec2Service open(VolumeStore store, VolumeKeyService keys, ExportTable exports, IdentityStore identities,
                                  Ec2Config config, Clock clock, Executor background) {
        return open(new VolumeStoreEngine(store), keys, exports, identities, config, clock, background);
    }

    static Ec2Service open(VolumeEngine engine, VolumeKeyService keys, ExportTable exports, IdentityStore identities,
                           Ec2Config config, Clock clock, Executor background) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(identities, "identities");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(background, "background");
        SecureRandom random = new SecureRandom();
        Ec2Context ctx = new Ec2Context(new Ec2RecordStore(engine.records()), engine,
                new Ec2Keys(keys, config.region(), random), exports, background, clock, new Ec2Ids(random), config);
        return new Ec2Service(ctx, identities, clock);
    }

    /**
     * Recovers from the store's records what a previous run left: interrupted creations and copies
     * are finished or marked failed, and attached volumes are re-published under their grants.
     * Call once, after {@link #open} and before serving requests.
     */
    public void recover() {
        new Ec2Recovery(ctx, new AttachmentOperations(ctx)).recover();
    }

    @Override
    public String signingName() {
        return "ec2";
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
        if (ctx.closed) {
            return Ec2XmlRenderer.error(requestId, Ec2Error.UNAVAILABLE, "The EC2 service is shutting down.");
        }
        if (!request.method().equals("POST") && !request.method().equals("GET")) {
            return Ec2XmlRenderer.error(requestId, Ec2Error.INVALID_ACTION, "Only GET and POST are accepted.");
        }
        SigV4Verified<Principal> verified;
        try {
            SigV4Request signed = new SigV4Request(request.method(), request.rawPath(), request.rawQuery(), request.headers(),
                    CanonicalRequest.sha256Hex(request.body()));
            verified = verifier.verify(signed, signingName(), CanonicalRequest.PathStyle.NORMALIZED);
            verified.signingKey().destroy();
        } catch (SigV4Exception e) {
            return authenticationError(requestId, e);
        }
        Ec2Call call = new Ec2Call(requestId, verified.principal(), verified.accessKeyId(), request.sourceIp(),
                request.secureTransport(), request.receivedAt());
        Ec2Operation op = null;
        try {
            Ec2Parameters parameters = Ec2Parameters.of(request);
            op = operation(parameters);
            Ec2Request ec2Request = new Ec2Request(op, parameters, call, authorizer);
            List<Ec2XmlNode> result = routes.get(op).handle(ec2Request);
            if (!ec2Request.authorized()) {
                throw new IllegalStateException(op + " answered without authorizing");
            }
            return Ec2XmlRenderer.success(requestId, op, result);
        } catch (Ec2Exception e) {
            return Ec2XmlRenderer.error(requestId, e.error(), e.getMessage());
        } catch (RuntimeException e) {
            Ec2Operation failed = op;
            LOG.log(Level.ERROR, () -> "EC2 " + failed + " failed (request " + requestId + ")", e);
            return internalError(requestId);
        }
    }

    private static Ec2Operation operation(Ec2Parameters parameters) {
        String action = parameters.string("Action").orElse("");
        if (action.isEmpty()) {
            throw new Ec2Exception(Ec2Error.INVALID_ACTION, "The request has no Action parameter.");
        }
        String version = parameters.string("Version").orElse(Ec2Operation.API_VERSION);
        Ec2Operation op = Ec2Operation.byName(action);
        if (op == null || !version.equals(Ec2Operation.API_VERSION)) {
            throw new Ec2Exception(Ec2Error.INVALID_ACTION, "The action " + action + " is not valid for this web service.");
        }
        return op;
    }

    private ServiceResponse authenticationError(String requestId, SigV4Exception e) {
        return switch (e.failure()) {
            case MISSING_AUTHENTICATION -> Ec2XmlRenderer.error(requestId, Ec2Error.MISSING_AUTHENTICATION_TOKEN,
                    "Request is missing Authentication Token");
            case INVALID_ACCESS_KEY_ID, SIGNATURE_DOES_NOT_MATCH, WRONG_SERVICE, WRONG_SCOPE_DATE ->
                    Ec2XmlRenderer.error(requestId, Ec2Error.AUTH_FAILURE,
                            "AWS was not able to validate the provided access credentials");
            case WRONG_REGION -> Ec2XmlRenderer.error(requestId, Ec2Error.AUTH_FAILURE,
                    "Credential should be scoped to a valid region. " + e.getMessage());
            case REQUEST_TIME_TOO_SKEWED, EXPIRED -> Ec2XmlRenderer.error(requestId, Ec2Error.REQUEST_EXPIRED,
                    "Request has expired: " + e.getMessage());
            case UNSUPPORTED_ALGORITHM, MALFORMED_AUTHORIZATION, MISSING_DATE, INVALID_EXPIRES, HOST_NOT_SIGNED ->
                    Ec2XmlRenderer.error(requestId, Ec2Error.INCOMPLETE_SIGNATURE, e.getMessage());
        };
    }

    @Override
    public ServiceResponse requestTooLarge(String requestId) {
        return Ec2XmlRenderer.error(requestId, Ec2Error.REQUEST_ENTITY_TOO_LARGE,
                "Request body larger than " + maxRequestBodyBytes() + " bytes.");
    }

    @Override
    public ServiceResponse internalError(String requestId) {
        return Ec2XmlRenderer.error(requestId, Ec2Error.INTERNAL_ERROR,
                "An internal error has occurred. Request ID: " + requestId);
    }

    /**
     * Withdraws and closes every attached volume (flushing it) and destroys its cipher, leaving the
     * attachments recorded, and their grants alive, so that the next {@link #open} re-publishes them.
     * Copies still running fail with the store and are marked failed at the next open.
     */
    @Override
    public void close() {
        ctx.closed = true;
        AttachmentOperations attachments = new AttachmentOperations(ctx);
        for (String volumeId : List.copyOf(ctx.open.keySet())) {
            attachments.withdrawAndClose(volumeId, false);
        }
    }
}

package dev.coffer.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.auth.identity.Principal;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.audit.AuditTrail;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.ops.Trace;
import java.time.Clock;

/**
 * Turns KMS calls and service events into CloudTrail-format records on the audit trail: the caller
 * (with invokedBy when a Coffer service called on its behalf), the request without secrets, the
 * keys used as resources, and the error when the call failed.
 */
public final class CloudTrailAuditor implements KmsAuditor {
    private final AuditTrail trail;
    private final String region;
    private final String account;
    private final Clock clock;

    public CloudTrailAuditor(AuditTrail trail, String region, String account, Clock clock) {
        this.trail = trail;
        this.region = region;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public void apiCall(KmsCall call, String eventName, boolean readOnly, ObjectNode requestParameters,
                        ObjectNode responseElements, Trace trace, KmsError error, String errorMessage) {
        Principal p = call.principal();
        AuditRecord.UserIdentity identity = switch (p) {
            case Principal.Root r -> AuditRecord.UserIdentity.root(r.principalId(), r.arn(), r.account().value(), call.accessKeyId());
            case Principal.User u -> AuditRecord.UserIdentity.iamUser(u.principalId(), u.arn(), u.account().value(),
                    call.accessKeyId(), u.userName());
            case Principal.Service s -> AuditRecord.UserIdentity.awsService(s.servicePrincipalName());
        };
        if (call.viaService() != null) {
            identity = identity.invokedBy(call.viaService().substring(0, call.viaService().indexOf('.')) + ".amazonaws.com");
        }
        AuditRecord.Builder record = AuditRecord.builder()
                .userIdentity(identity)
                .eventTime(call.time())
                .eventName(eventName)
                .awsRegion(region)
                .sourceIpAddress(call.sourceIp())
                .userAgent(call.userAgent())
                .requestParameters(requestParameters)
                .responseElements(responseElements)
                .requestId(call.requestId())
                .readOnly(readOnly)
                .recipientAccountId(account);
        if (!trace.additionalEventData().isEmpty()) {
            record.additionalEventData(trace.additionalEventData());
        }
        for (KmsKey key : trace.keys()) {
            record.kmsKeyResource(key.arn(), key.accountId());
        }
        if (error != null) {
            record.error(error.wireName(), errorMessage == null || errorMessage.isBlank() ? null : errorMessage);
        }
        trail.append(record.build());
    }

    @Override
    public void serviceEvent(String eventName, KmsKey key, ObjectNode additionalEventData) {
        AuditRecord.Builder record = AuditRecord.serviceEventBuilder(account)
                .eventTime(clock.instant())
                .eventName(eventName)
                .awsRegion(region)
                .kmsKeyResource(key.arn(), key.accountId());
        if (additionalEventData != null) {
            record.additionalEventData(additionalEventData);
        }
        trail.append(record.build());
    }
}

package dev.coffer.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.core.KmsKey;
import dev.coffer.kms.ops.Trace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what the KMS reports so tests can assert on it, and passes every event on to the real
 * CloudTrail auditor, so a record the trail refuses fails the test as it would fail the call.
 */
final class RecordingAuditor implements KmsAuditor {
    record Event(String eventName, String principalArn, ObjectNode requestParameters, ObjectNode responseElements,
                 List<String> keyArns, KmsError error, boolean serviceEvent) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    private final KmsAuditor delegate;

    RecordingAuditor(KmsAuditor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void apiCall(KmsCall call, String eventName, boolean readOnly, ObjectNode requestParameters,
                        ObjectNode responseElements, Trace trace, KmsError error, String errorMessage) {
        delegate.apiCall(call, eventName, readOnly, requestParameters, responseElements, trace, error, errorMessage);
        events.add(new Event(eventName, call.principal().arn(), requestParameters, responseElements,
                trace.keys().stream().map(KmsKey::arn).toList(), error, false));
    }

    @Override
    public void serviceEvent(String eventName, KmsKey key, ObjectNode additionalEventData) {
        delegate.serviceEvent(eventName, key, additionalEventData);
        events.add(new Event(eventName, null, null, additionalEventData, List.of(key.arn()), null, true));
    }

    List<Event> named(String eventName) {
        return events.stream().filter(e -> e.eventName().equals(eventName)).toList();
    }
}

package io.hookgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgate.event.CallRef;
import io.hookgate.event.EventSummary;

import java.util.List;
import java.util.Map;

/**
 * An event in search results; {@link Full} adds what {@code GET /api/v1/events/{id}} shows. Every field is always
 * there, null when the notification has none (a TaskID, a workflow_id), as in the other lists' items.
 */
public record EventJson(long id, long tenantId, String kind, boolean signed, String receivedAt, String sourceIp,
                        String workflowId, String taskId, int callCount, List<CallRef> calls) {

    static EventJson of(EventSummary e) {
        return new EventJson(e.id().value(), e.tenantId().value(), e.kind().wireName(), e.signed(), e.receivedAt().toString(),
            e.sourceIp(), e.workflowId(), e.taskId(), e.callCount(), e.calls());
    }

    public record Full(long id, long tenantId, String kind, boolean signed, String receivedAt, String sourceIp,
                       String workflowId, String taskId, int callCount, List<CallRef> calls, Map<String, String> headers,
                       String bodySha256, JsonNode payload, String rawBody, List<DeliveryJson> deliveries) {
    }
}

package io.hookgate.event;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.List;

/** An event as search results show it: without its body. */
public record EventSummary(EventId id, TenantId tenantId, EventKind kind, boolean signed, Instant receivedAt,
                           String sourceIp, String workflowId, String taskId, int callCount, List<CallRef> calls) {

    EventSummary withCalls(List<CallRef> found) {
        return new EventSummary(id, tenantId, kind, signed, receivedAt, sourceIp, workflowId, taskId, callCount, found);
    }
}

package io.hookgate.event;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An accepted notification about to be stored: the raw body exactly as received, and its search fields. */
public record NewEvent(TenantId tenantId, EventKind kind, boolean signed, byte[] body, byte[] bodySha256,
                       Instant receivedAt, String sourceIp, Map<String, String> headers, String workflowId,
                       String taskId, int callCount, List<CallRef> calls) {
}

package io.hookgate.ingest;

import io.hookgate.event.CallRef;
import io.hookgate.event.EventKind;

import java.util.List;

/**
 * A parsed inbound notification: its kind, what its signature covers ({@code signedTaskId}, uncut), and the
 * fields it is searched by (cut to an indexable length).
 */
public record Notification(EventKind kind, String workflowId, String taskId,
                           String signedTaskId, String sign,
                           int callCount, List<CallRef> calls) {
}

package io.hookgate.event;

import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Optional;

/**
 * Search criteria for events, of one tenant or (for platform admins and support) of all; each present criterion
 * narrows the result. Newest first.
 */
public record EventQuery(Optional<TenantId> tenantId, Optional<String> taskId, Optional<String> callId, Optional<String> caseId,
                         Optional<String> callee, Optional<EventKind> kind, Optional<Instant> from,
                         Optional<Instant> to, int limit, Optional<EventId> before) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new Problem.Invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new Problem.Invalid("from", "must be before to");
        }
    }

    /** The criteria that select calls, to point out the calls found among an event's. */
    public CallCriteria callCriteria() {
        return new CallCriteria(callId, caseId, callee);
    }
}

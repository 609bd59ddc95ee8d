package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Which dead letters: of a tenant, of a destination, dead within [from, to), that last failed with
 * {@code lastStatus} (an HTTP status code, "503", or an error kind, "timeout", "connection_refused"), and whose event
 * has the TaskID {@code taskId} (an AIRUDDER task: a calling campaign).
 */
public record DeadLetterFilter(Optional<TenantId> tenantId, Optional<DestinationId> destinationId, Optional<Instant> from,
                               Optional<Instant> to, Optional<String> lastStatus, Optional<String> taskId) {

    public DeadLetterFilter(Optional<TenantId> tenantId, Optional<DestinationId> destinationId, Optional<Instant> from, Optional<Instant> to) {
        this(tenantId, destinationId, from, to, Optional.empty(), Optional.empty());
    }

    public DeadLetterFilter {
        // "HTTP 503" as the dead-letter list shows it, or "503"
        lastStatus = lastStatus.map(v -> v.strip().replaceFirst("(?i)^http\\s*", "").toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty());
        if (lastStatus.isPresent() && !lastStatus.get().matches("[a-z_]{1,40}|[1-5][0-9][0-9]")) {
            throw new Problem.Invalid("lastStatus", "must be an HTTP status code such as 503 or an error kind such as timeout");
        }
        taskId = taskId.map(String::strip).filter(v -> !v.isEmpty());
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new Problem.Invalid("from", "must be before to");
        }
    }

    DeadLetterFilter forTenant(TenantId tenant) {
        return new DeadLetterFilter(Optional.of(tenant), destinationId, from, to, lastStatus, taskId);
    }
}

package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Optional;

/** Which dead letters: of a tenant, of a destination, dead within [from, to). */
public record DeadLetterFilter(Optional<TenantId> tenantId, Optional<DestinationId> destinationId, Optional<Instant> from,
                               Optional<Instant> to) {

    public DeadLetterFilter {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new Problem.Invalid("from", "must be before to");
        }
    }

    DeadLetterFilter forTenant(TenantId tenant) {
        return new DeadLetterFilter(Optional.of(tenant), destinationId, from, to);
    }
}

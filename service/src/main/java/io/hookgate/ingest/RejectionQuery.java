package io.hookgate.ingest;

import io.hookgate.tenant.TenantId;

import java.util.Optional;

/** Support's search of refused requests: every criterion optional; {@code before} is the cursor of the next page. */
public record RejectionQuery(Optional<TenantId> tenantId, Optional<RejectionReason> reason, Optional<String> taskId,
                             Optional<Long> before, int limit) {

    public RejectionQuery withTenant(Optional<TenantId> tenant) {
        return new RejectionQuery(tenant, reason, taskId, before, limit);
    }
}

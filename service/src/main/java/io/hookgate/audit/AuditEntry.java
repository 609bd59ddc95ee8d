package io.hookgate.audit;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of the audit log. {@code actorEmail} is the address at the time ("system" for unauthenticated
 * attempts); {@code detailJson} is the stored jsonb as text, to be shown escaped.
 */
public record AuditEntry(long id, Instant at, String actorEmail, String action, Optional<TenantId> tenantId,
                         Optional<String> tenantName, String target, String detailJson) {
}

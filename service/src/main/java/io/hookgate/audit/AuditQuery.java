package io.hookgate.audit;

import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Search criteria for the audit log; each present criterion narrows the result. Newest first, keyset-paginated:
 * {@code before} continues below an entry's id. {@code action} matches a prefix ("user." finds user.create and
 * user.update), {@code actorEmail} a part of the address, ignoring case.
 */
public record AuditQuery(Optional<String> action, Optional<String> actorEmail, Optional<TenantId> tenantId,
                         Optional<Instant> from, Optional<Instant> to, Optional<Long> before, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        action = action.map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)); // actions are lower case
        actorEmail = actorEmail.map(String::strip).filter(s -> !s.isEmpty());
        if (action.isPresent() && action.get().length() > 100) {
            throw new Problem.Invalid("action", "must be at most 100 characters");
        }
        if (actorEmail.isPresent() && actorEmail.get().length() > 254) {
            throw new Problem.Invalid("actor", "must be at most 254 characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new Problem.Invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new Problem.Invalid("from", "must be before to");
        }
    }

    /** The same criteria, of one tenant. */
    AuditQuery ofTenant(TenantId tenant) {
        return new AuditQuery(action, actorEmail, Optional.of(tenant), from, to, before, limit);
    }
}

package io.hookgate.auth;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Optional;

/** {@code lockedUntil}: present while too many failed sign-ins keep the account locked. */
public record User(UserId id, String email, Role role, Optional<TenantId> tenantId, boolean disabled, Instant createdAt,
                   Optional<Instant> lockedUntil) {

    public Actor asActor() {
        return new Actor(id, email, role, tenantId);
    }
}

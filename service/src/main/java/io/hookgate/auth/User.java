package io.hookgate.auth;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.Optional;

public record User(UserId id, String email, Role role, Optional<TenantId> tenantId, boolean disabled, Instant createdAt) {

    public Actor asActor() {
        return new Actor(id, email, role, tenantId);
    }
}

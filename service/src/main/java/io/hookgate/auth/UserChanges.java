package io.hookgate.auth;

import io.hookgate.tenant.TenantId;

import java.util.Optional;

/** A partial update of a user: absent fields stay as they are. */
public record UserChanges(Optional<Role> role, Optional<TenantId> tenantId, Optional<Boolean> disabled, Optional<String> password) {
}

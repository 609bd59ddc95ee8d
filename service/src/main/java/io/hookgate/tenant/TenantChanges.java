package io.hookgate.tenant;

import java.util.Optional;

/** A partial update: absent fields stay as they are. */
public record TenantChanges(Optional<String> name, Optional<TenantStatus> status, Optional<Boolean> acceptUnsigned) {
}

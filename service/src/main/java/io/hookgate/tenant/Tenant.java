package io.hookgate.tenant;

import java.time.Instant;

/** A client account of the agency: one callback URL, one KEY (plus any rotated-out KEY in its grace period). */
public record Tenant(TenantId id, String name, TenantStatus status, String callbackToken, boolean acceptUnsigned,
                     Instant createdAt, Instant updatedAt) {
}

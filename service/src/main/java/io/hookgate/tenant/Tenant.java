package io.hookgate.tenant;

import java.time.Instant;

/**
 * A client account of the agency: one callback URL, one KEY (plus any rotated-out KEY in its grace period), and
 * optionally its own event retention in days (null: the configured default).
 */
public record Tenant(TenantId id, String name, TenantStatus status, String callbackToken, boolean acceptUnsigned,
                     Integer retentionDays, Instant createdAt, Instant updatedAt) {
}
